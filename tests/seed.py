"""The user's reference article, read from ../shared at run time (its text belongs to its
publisher and is not copied into the repository)."""

from stance.harness.tasks import benchmarks_root

SEED_ARTICLE = benchmarks_root().parent / "seed" / "milley-taliban.txt"
