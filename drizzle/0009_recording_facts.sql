ALTER TABLE `experiments` ADD `recording_text` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiments` ADD `data_types` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiments` ADD `recording_flags` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiments` ADD `max_channels` integer;--> statement-breakpoint
ALTER TABLE `experiments` ADD `max_seconds` real;--> statement-breakpoint
ALTER TABLE `experiments` ADD `rates` text DEFAULT '' NOT NULL;