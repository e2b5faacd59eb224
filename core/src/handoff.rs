//! TODO(skeleton): handoff — being written.
