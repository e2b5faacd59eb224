//! TODO(skeleton): eligibility — being written.
