"""The reference apps, each written twice: once per front-end, in that front-end's idiom."""
