"""Small original stories for the corpus tests (shared by test_corpus.py and test_dask.py)."""
from pathlib import Path

import quoth

SAMPLE = Path(quoth.__file__).parent / "samples" / "the_lantern_keeper.txt"

STORIES = {
    "harbour.txt": """The Harbour Master

Chapter 1

Elena Voss climbed the harbour steps with the ledger under her arm. Tomas was waiting at the top, as he always was.

"You're late," Tomas said.

"The tide was late," said Elena. "Take it up with the moon."

He laughed and held the door for her. "The moon never pays its fees."

"Neither do you," she said, and handed him the ledger.
""",
    "orchard.txt": """The Orchard

Chapter 1

Old Bram walked between the apple trees while his granddaughter Wren counted the baskets.

"How many?" asked Bram.

"Forty-one," Wren said. "Forty-two if you stop eating them."

Bram took another bite. "Forty-one, then."

Wren rolled her eyes. "Grandfather, the buyer comes tomorrow."

"Let him come," said Bram. "He'll find the best apples in the valley."
""",
    "station.txt": """Night Train

Chapter 1

The station was empty except for Inspector Hale and a porter named Dobbs.

"When does the last train leave?" Hale asked.

"It left an hour ago, sir," said Dobbs.

Hale checked his watch twice. "Then why is the signal still green?"

Dobbs shrugged. "Signals have their own ideas, sir."
""",
}


def write_corpus(folder: Path) -> Path:
    """A folder of stories, one in a sub-folder, plus the packaged sample."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in STORIES.items():
        target = folder / ("more" if name == "station.txt" else "") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (folder / "lantern.txt").write_bytes(SAMPLE.read_bytes())
    return folder


def die_on_boom(job):
    """Stands in for quoth.corpus.analyse_work in a worker process: the work whose text says
    'Boom' kills its worker outright (as the OOM killer or a segfault would)."""
    import os

    from quoth.corpus import analyse_work
    if b"Boom" in job["data"]:
        os._exit(9)
    return analyse_work(job)


def hang_on_clock(job):
    """Stands in for analyse_work in a worker: the work whose text says 'clock' hangs where
    SIGALRM cannot reach it (as a stuck C extension would)."""
    import signal
    import time

    from quoth.corpus import analyse_work
    if b"clock" in job["data"]:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    return analyse_work(job)
