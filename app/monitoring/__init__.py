"""Contracts and measures: the measure library
(`library`), each measure's value and status per period (`status`), provider returns
(`returns`) and the operators' commands (`cli`)."""
