//! TODO(skeleton): `eval` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum EvalCommand {}

pub async fn run(cmd: EvalCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
