CREATE TABLE `file_previews` (
	`object_id` integer PRIMARY KEY NOT NULL,
	`etag` text NOT NULL,
	`status` text NOT NULL,
	`png` blob,
	`width` integer,
	`height` integer,
	`description` text,
	`reason` text,
	`reads` integer DEFAULT 0 NOT NULL,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`drawn_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
