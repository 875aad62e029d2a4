"""Migration 0019m gives the members on file the keyed hashes of their names."""

from sqlalchemy import text

from creditsvc.infra.extensions import db
from creditsvc.services.survey import imports
from tests.dbs import migrate_again_from
from tests.services import survey_files as sf
from tests.services.test_survey_import import officer  # noqa: F401 (a fixture)
from tests.today import TODAY
from tests.work import done


def test_existing_members_get_their_name_hashes(app, session, officer):  # noqa: F811
    cipher = app.extensions["creditsvc.core.pii"]
    row = sf.household(户主姓名="邱永强", 家庭人口=2)
    son = sf.member(row["身份证号"], 姓名="邱小明")
    done(session, imports.run, officer, cipher, sf.xlsx([row], [son]), "s.xlsx", today=TODAY)
    session.execute(text("INSERT INTO household_members (id, household_id, position, relation, "
                         "chronic_illness, disability, in_school) SELECT 'no-name', household_id, "
                         "9, 'other', false, false, false FROM household_members LIMIT 1"))
    session.commit()
    migrate_again_from(app, "0018l")
    stored = {enc and cipher.decrypt(enc): h for enc, h in db.session.execute(text(
        "SELECT name_enc, name_hash FROM household_members"))}
    db.session.remove()
    assert stored == {"邱永强": cipher.blind_index("name", "邱永强"),
                      "邱小明": cipher.blind_index("name", "邱小明"), None: None}
