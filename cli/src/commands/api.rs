//! TODO(skeleton): `api` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum ApiCommand {}

pub async fn run(cmd: ApiCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
