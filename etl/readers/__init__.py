"""Readers turn one input file into observations: year × province × item × measure → value."""
