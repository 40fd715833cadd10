"""Yrkesbro: where vocational education and working life plan, agree, meet and measure."""

__version__ = "0.1.0"
