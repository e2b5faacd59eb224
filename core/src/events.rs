//! TODO(skeleton): events — being written.
