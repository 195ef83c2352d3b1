-- Nothing reads objects_fts since file names moved into experiments_fts.file_text (0003): its triggers only
-- cost every object write a second full-text update.
DROP TRIGGER IF EXISTS `objects_fts_ai`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `objects_fts_ad`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `objects_fts_au`;
--> statement-breakpoint
DROP TABLE IF EXISTS `objects_fts`;
