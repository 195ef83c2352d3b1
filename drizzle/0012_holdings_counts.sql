ALTER TABLE `experiments` ADD `hdf5_files` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `experiments` ADD `nwb_files` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `experiments` ADD `unit_count` integer DEFAULT 0 NOT NULL;