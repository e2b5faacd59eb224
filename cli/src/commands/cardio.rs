//! TODO(skeleton): `cardio` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum CardioCommand {}

pub async fn run(cmd: CardioCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
