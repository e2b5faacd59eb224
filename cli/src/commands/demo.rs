//! TODO(skeleton): `demo` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum DemoCommand {}

pub async fn run(cmd: DemoCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
