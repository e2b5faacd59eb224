//! TODO(skeleton): error — being written.
