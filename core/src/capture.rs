//! TODO(skeleton): capture — being written.
