-- File names join the experiment's full-text row (column file_text), so one MATCH over experiments_fts finds
-- an experiment by its text or its files: searching the million-row object index and grouping its hits by
-- experiment cost hundreds of milliseconds for common file words.
DROP TRIGGER `experiments_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `experiments_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `experiments_fts_au`;
--> statement-breakpoint
DROP TABLE `experiments_fts`;
--> statement-breakpoint
UPDATE `experiments` SET `file_text` = coalesce(
	(SELECT group_concat(substr(o.key, length(experiments.path) + 2), char(10)) FROM objects o WHERE o.experiment_id = experiments.id),
	'');
--> statement-breakpoint
CREATE VIRTUAL TABLE `experiments_fts` USING fts5(
	uuid, path, purpose, metadata_text, file_text,
	content='experiments', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO experiments_fts(experiments_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `experiments_fts_ai` AFTER INSERT ON `experiments` BEGIN
	INSERT INTO experiments_fts(rowid, uuid, path, purpose, metadata_text, file_text)
	VALUES (new.id, new.uuid, new.path, new.purpose, new.metadata_text, new.file_text);
END;
--> statement-breakpoint
CREATE TRIGGER `experiments_fts_ad` AFTER DELETE ON `experiments` BEGIN
	INSERT INTO experiments_fts(experiments_fts, rowid, uuid, path, purpose, metadata_text, file_text)
	VALUES ('delete', old.id, old.uuid, old.path, old.purpose, old.metadata_text, old.file_text);
END;
--> statement-breakpoint
-- Only the indexed columns: a re-crawl touching last_crawled_at must not rewrite the index.
CREATE TRIGGER `experiments_fts_au` AFTER UPDATE OF uuid, path, purpose, metadata_text, file_text ON `experiments` BEGIN
	INSERT INTO experiments_fts(experiments_fts, rowid, uuid, path, purpose, metadata_text, file_text)
	VALUES ('delete', old.id, old.uuid, old.path, old.purpose, old.metadata_text, old.file_text);
	INSERT INTO experiments_fts(rowid, uuid, path, purpose, metadata_text, file_text)
	VALUES (new.id, new.uuid, new.path, new.purpose, new.metadata_text, new.file_text);
END;
