//! capture — being written (folder module).
