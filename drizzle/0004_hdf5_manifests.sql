CREATE TABLE `hdf5_manifests` (
	`object_id` integer PRIMARY KEY NOT NULL,
	`etag` text NOT NULL,
	`status` text NOT NULL,
	`ranges` text,
	`bytes` blob,
	`error` text,
	`built_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
