"""Nothing is registered here: flags are raised and resolved only by the compliance
evaluation (supervision.compliance), and read through the supervisor's screens and the change
history, never edited in the admin."""
