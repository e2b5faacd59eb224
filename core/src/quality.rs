//! TODO(skeleton): quality — being written.
