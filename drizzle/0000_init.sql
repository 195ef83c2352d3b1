CREATE TABLE `crawl_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`options` text NOT NULL,
	`experiments_new` integer DEFAULT 0 NOT NULL,
	`experiments_updated` integer DEFAULT 0 NOT NULL,
	`experiments_unchanged` integer DEFAULT 0 NOT NULL,
	`experiments_deleted` integer DEFAULT 0 NOT NULL,
	`experiments_failed` integer DEFAULT 0 NOT NULL,
	`objects` integer DEFAULT 0 NOT NULL,
	`s3_requests` text DEFAULT '{}' NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`prefix` text NOT NULL,
	`path` text NOT NULL,
	`metadata_source` text NOT NULL,
	`metadata_key` text,
	`metadata_etag` text,
	`metadata_raw` text,
	`metadata_error` text,
	`metadata_text` text DEFAULT '' NOT NULL,
	`date` text,
	`species` text,
	`sample_type` text,
	`cell_line` text,
	`hardware` text,
	`chip_ids` text,
	`channel_count` integer,
	`sample_rate` real,
	`recording_names` text DEFAULT '[]' NOT NULL,
	`purpose` text,
	`object_count` integer DEFAULT 0 NOT NULL,
	`total_bytes` integer DEFAULT 0 NOT NULL,
	`newest_modified` integer,
	`first_crawled_at` integer NOT NULL,
	`last_crawled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_path_unique` ON `experiments` (`path`);--> statement-breakpoint
CREATE INDEX `experiments_uuid` ON `experiments` (`uuid`);--> statement-breakpoint
CREATE INDEX `experiments_prefix_date` ON `experiments` (`prefix`,`date`);--> statement-breakpoint
CREATE INDEX `experiments_date` ON `experiments` (`date`);--> statement-breakpoint
CREATE TABLE `objects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`key` text NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`last_modified` integer NOT NULL,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objects_uuid_unique` ON `objects` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `objects_key_unique` ON `objects` (`key`);--> statement-breakpoint
CREATE INDEX `objects_experiment` ON `objects` (`experiment_id`);