"""Planning and running a build into an output folder: jobs, lock, reuse, manifest."""
