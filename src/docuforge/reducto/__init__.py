"""Reducto's HTTP surface: wire schemas, wire -> engine options, FullResult rendering, a router per family.

The only package that knows Reducto's shapes. Each endpoint family (parse, extract, split, classify,
edit, pipeline) is a sub-package with router.py, schemas.py, service.py and tasks.py.
"""
