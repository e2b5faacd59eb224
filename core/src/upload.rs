//! TODO(skeleton): upload — being written.
