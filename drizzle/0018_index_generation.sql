-- What search shows changes far less often than the index commits: the scheduler's recent pass, every minute,
-- writes its crawl_runs row and touches last_crawled_at of the folders it finds unchanged, and every such
-- commit made the search threads load their catalogs again (0.4 s at 100,000 experiments) and drop their
-- match sets and answers. These triggers count the changes search can see; lib/db/index-derived.ts follows
-- the count. A column added to experiments must be added to experiments_generation_au
-- (lib/db/fts.test.ts checks that every column but last_crawled_at is in it).
CREATE TABLE `index_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `index_generation` (`id`, `generation`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `experiments_generation_ai` AFTER INSERT ON `experiments` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `experiments_generation_ad` AFTER DELETE ON `experiments` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `experiments_generation_au` AFTER UPDATE ON `experiments` WHEN
  OLD.`id` IS NOT NEW.`id`
  OR OLD.`uuid` IS NOT NEW.`uuid`
  OR OLD.`prefix` IS NOT NEW.`prefix`
  OR OLD.`path` IS NOT NEW.`path`
  OR OLD.`metadata_source` IS NOT NEW.`metadata_source`
  OR OLD.`metadata_key` IS NOT NEW.`metadata_key`
  OR OLD.`metadata_etag` IS NOT NEW.`metadata_etag`
  OR OLD.`metadata_raw` IS NOT NEW.`metadata_raw`
  OR OLD.`metadata_error` IS NOT NEW.`metadata_error`
  OR OLD.`metadata_text` IS NOT NEW.`metadata_text`
  OR OLD.`date` IS NOT NEW.`date`
  OR OLD.`species` IS NOT NEW.`species`
  OR OLD.`sample_type` IS NOT NEW.`sample_type`
  OR OLD.`cell_line` IS NOT NEW.`cell_line`
  OR OLD.`hardware` IS NOT NEW.`hardware`
  OR OLD.`chip_ids` IS NOT NEW.`chip_ids`
  OR OLD.`channel_count` IS NOT NEW.`channel_count`
  OR OLD.`sample_rate` IS NOT NEW.`sample_rate`
  OR OLD.`recording_names` IS NOT NEW.`recording_names`
  OR OLD.`purpose` IS NOT NEW.`purpose`
  OR OLD.`object_count` IS NOT NEW.`object_count`
  OR OLD.`total_bytes` IS NOT NEW.`total_bytes`
  OR OLD.`newest_modified` IS NOT NEW.`newest_modified`
  OR OLD.`first_crawled_at` IS NOT NEW.`first_crawled_at`
  OR OLD.`file_text` IS NOT NEW.`file_text`
  OR OLD.`metadata_truncation` IS NOT NEW.`metadata_truncation`
  OR OLD.`recording_text` IS NOT NEW.`recording_text`
  OR OLD.`data_types` IS NOT NEW.`data_types`
  OR OLD.`recording_flags` IS NOT NEW.`recording_flags`
  OR OLD.`max_channels` IS NOT NEW.`max_channels`
  OR OLD.`max_seconds` IS NOT NEW.`max_seconds`
  OR OLD.`rates` IS NOT NEW.`rates`
  OR OLD.`hdf5_files` IS NOT NEW.`hdf5_files`
  OR OLD.`nwb_files` IS NOT NEW.`nwb_files`
  OR OLD.`unit_count` IS NOT NEW.`unit_count`
BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `objects_generation_ai` AFTER INSERT ON `objects` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `objects_generation_ad` AFTER DELETE ON `objects` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `objects_generation_au` AFTER UPDATE ON `objects` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `hdf5_manifests_generation_ai` AFTER INSERT ON `hdf5_manifests` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `hdf5_manifests_generation_ad` AFTER DELETE ON `hdf5_manifests` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `hdf5_manifests_generation_au` AFTER UPDATE ON `hdf5_manifests` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `file_previews_generation_ai` AFTER INSERT ON `file_previews` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `file_previews_generation_ad` AFTER DELETE ON `file_previews` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `file_previews_generation_au` AFTER UPDATE ON `file_previews` BEGIN UPDATE `index_generation` SET `generation` = `generation` + 1 WHERE `id` = 1; END;
