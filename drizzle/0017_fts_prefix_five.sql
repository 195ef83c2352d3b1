-- Prefix indexes for four and five characters too: a fourth or fifth keystroke of a common word (`trac`, `time`,
-- `cult`, `2025`) made FTS5 merge the position lists of every token it starts, and such large matches were the
-- slowest keystrokes left. Measured on the bench index (100,000 experiments), the ids of a match: `trac` 45 ->
-- 15 ms, `time` 19 -> 11, `cult` 17-23 -> 10, `2025` 16 -> 2.4, `orga` 7.4 -> 3.4; whole words unchanged.
-- Over the typing workload's first 11,000 keystrokes in process, 15.4 -> 13.7 s of search (mean of 5-7 runs
-- each on a noisy machine), the searches over 20 ms 65-80 -> 11-49. Six characters measured no better. The
-- index grows 7 % (1.67 -> 1.79 GB); its full rebuild at 100,000 experiments takes 35 s.
DROP TRIGGER `experiments_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `experiments_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `experiments_fts_au`;
--> statement-breakpoint
DROP TABLE `experiments_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `experiments_fts` USING fts5(
	uuid, path, purpose, metadata_text, file_text, recording_text,
	content='experiments', content_rowid='id',
	prefix='1 2 3 4 5',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO experiments_fts(experiments_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `experiments_fts_ai` AFTER INSERT ON `experiments` BEGIN
	INSERT INTO experiments_fts(rowid, uuid, path, purpose, metadata_text, file_text, recording_text)
	VALUES (new.id, new.uuid, new.path, new.purpose, new.metadata_text, new.file_text, new.recording_text);
END;
--> statement-breakpoint
CREATE TRIGGER `experiments_fts_ad` AFTER DELETE ON `experiments` BEGIN
	INSERT INTO experiments_fts(experiments_fts, rowid, uuid, path, purpose, metadata_text, file_text, recording_text)
	VALUES ('delete', old.id, old.uuid, old.path, old.purpose, old.metadata_text, old.file_text, old.recording_text);
END;
--> statement-breakpoint
-- Only the indexed columns: a re-crawl touching last_crawled_at must not rewrite the index.
CREATE TRIGGER `experiments_fts_au` AFTER UPDATE OF uuid, path, purpose, metadata_text, file_text, recording_text ON `experiments` BEGIN
	INSERT INTO experiments_fts(experiments_fts, rowid, uuid, path, purpose, metadata_text, file_text, recording_text)
	VALUES ('delete', old.id, old.uuid, old.path, old.purpose, old.metadata_text, old.file_text, old.recording_text);
	INSERT INTO experiments_fts(rowid, uuid, path, purpose, metadata_text, file_text, recording_text)
	VALUES (new.id, new.uuid, new.path, new.purpose, new.metadata_text, new.file_text, new.recording_text);
END;
