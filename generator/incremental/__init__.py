"""Incremental: the layer beside the stages that remembers their results between builds and
knows what depends on what, so that a build costs in proportion to the change. No stage
imports it; the pipeline hands its memoised steps to the stages that accept them."""
