//! quality — being written (folder module).
