-- Full-text tables over the index. External-content FTS5 tables store only the inverted index; the text
-- stays in `experiments` and `objects`, and these triggers keep both in step inside the same transaction.
CREATE VIRTUAL TABLE `experiments_fts` USING fts5(
	uuid, path, purpose, metadata_text,
	content='experiments', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `experiments_fts_ai` AFTER INSERT ON `experiments` BEGIN
	INSERT INTO experiments_fts(rowid, uuid, path, purpose, metadata_text)
	VALUES (new.id, new.uuid, new.path, new.purpose, new.metadata_text);
END;
--> statement-breakpoint
CREATE TRIGGER `experiments_fts_ad` AFTER DELETE ON `experiments` BEGIN
	INSERT INTO experiments_fts(experiments_fts, rowid, uuid, path, purpose, metadata_text)
	VALUES ('delete', old.id, old.uuid, old.path, old.purpose, old.metadata_text);
END;
--> statement-breakpoint
-- Only the indexed columns: a re-crawl touching last_crawled_at must not rewrite the index.
CREATE TRIGGER `experiments_fts_au` AFTER UPDATE OF uuid, path, purpose, metadata_text ON `experiments` BEGIN
	INSERT INTO experiments_fts(experiments_fts, rowid, uuid, path, purpose, metadata_text)
	VALUES ('delete', old.id, old.uuid, old.path, old.purpose, old.metadata_text);
	INSERT INTO experiments_fts(rowid, uuid, path, purpose, metadata_text)
	VALUES (new.id, new.uuid, new.path, new.purpose, new.metadata_text);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `objects_fts` USING fts5(
	key,
	content='objects', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `objects_fts_ai` AFTER INSERT ON `objects` BEGIN
	INSERT INTO objects_fts(rowid, key) VALUES (new.id, new.key);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_fts_ad` AFTER DELETE ON `objects` BEGIN
	INSERT INTO objects_fts(objects_fts, rowid, key) VALUES ('delete', old.id, old.key);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_fts_au` AFTER UPDATE OF key ON `objects` BEGIN
	INSERT INTO objects_fts(objects_fts, rowid, key) VALUES ('delete', old.id, old.key);
	INSERT INTO objects_fts(rowid, key) VALUES (new.id, new.key);
END;
