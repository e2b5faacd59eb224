//! TODO(skeleton): frame — being written.
