//! TODO(skeleton): detect — being written.
