"""`enrich`: fill in the authors, year, venue, links and abstract a paper file leaves out.

The modules, in the order a run uses them: `client` (polite HTTP: identification, rate
limits, retries, the response cache), one module per API (`arxiv`, `crossref`,
`openalex`, `semanticscholar`, each turning its API's format into `Found` records),
`match` (which records are the paper, and which source wins a field), `edit` (new
keys into the file, checked by the loader before anything is written) and `run`
(the command itself).
"""
