//! Elixir and Erlang: `mix.lock` and `rebar.lock`.

pub(crate) mod mix_lock;
pub(crate) mod rebar_lock;
