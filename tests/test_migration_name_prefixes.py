"""Migration 0015 gives the files that exist the keyed hashes of their names' beginnings."""

from sqlalchemy import text

from creditsvc.infra.extensions import db
from creditsvc.services.households.search import name_prefix_hashes
from tests.dbs import migrate_again_from
from tests.pages.cases import household


def test_existing_files_get_their_name_prefix_hashes(app):
    made, _ = household(head_name="邱永强")
    single, _ = household(head_name="邱")
    migrate_again_from(app, "0014")
    cipher = app.extensions["creditsvc.core.pii"]
    stored = dict((i, (a, b)) for i, a, b in db.session.execute(text(
        "SELECT id, head_name_prefix1_hash, head_name_prefix2_hash FROM households")))
    db.session.remove()
    assert stored[made] == name_prefix_hashes(cipher, "邱永强")
    assert stored[single] == name_prefix_hashes(cipher, "邱")
    assert stored[made][0] == stored[single][0] and stored[made][1] != stored[single][1]
