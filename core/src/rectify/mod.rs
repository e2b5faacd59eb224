//! rectify — being written (folder module).
