//! TODO(skeleton): rectify — being written.
