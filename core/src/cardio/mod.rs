//! TODO(skeleton): cardio — being written.
