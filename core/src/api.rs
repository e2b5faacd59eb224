//! TODO(skeleton): api — being written.
