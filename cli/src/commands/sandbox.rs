//! TODO(skeleton): `sandbox` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum SandboxCommand {}

pub async fn run(cmd: SandboxCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
