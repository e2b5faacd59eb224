//! TODO(skeleton): `scan` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum ScanCommand {}

pub async fn run(cmd: ScanCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
