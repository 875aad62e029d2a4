"""`pii rotate-key`: every value re-encrypted and re-hashed under the new key, online, resumable.

The old key is A, the new one B. While rotating, the service runs with B and A as an old key:
files not yet rotated are read and found, new writes are under B only. An interrupted rotation
is run again and finishes; afterwards B alone reads and finds everything.
"""

import secrets

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import select, text, update

from creditsvc import create_app
from creditsvc.core.errors import Conflict
from creditsvc.core.pii import PiiCipher
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.households import files, lookup, rotation
from creditsvc.services.households.search import HouseholdFilter, filtered, search_hash
from models import Household, HouseholdMember
from tests.conftest import ACTOR, make_config
from tests.factories import HouseholdFactory, id_number
from tests.today import TODAY
from tests.work import done

OLD, NEW = secrets.token_urlsafe(32), secrets.token_urlsafe(32)


def _files(session, cipher, n=5):
    made = []
    for i in range(n):
        data = HouseholdInSchema().load(HouseholdFactory(head_name=f"邱{'一二三四五六'[i]}明",
                                                         id_number=id_number()))
        h = done(session, files.create_household, ACTOR, cipher, data)
        made.append((h.id, data["head_name"], data["id_number"], data["phone"]))
    # A member with a name and ID number of their own, as a survey's members sheet gives.
    member = session.execute(select(HouseholdMember).limit(1)).scalar_one()
    member.name_enc, member.id_number_enc = cipher.encrypt("邱小红"), cipher.encrypt("440101199001010011")
    member.name_hash = cipher.blind_index("name", "邱小红")
    member.id_number_hash = cipher.blind_index("id", "440101199001010011")
    session.commit()
    return made


def _found(session, cipher, text_):
    kind, key = search_hash(cipher, text_)
    f = HouseholdFilter(search=(kind, key))
    return set(session.execute(filtered(session, f, today=TODAY).with_only_columns(Household.id))
               .scalars())


def test_an_interrupted_rotation_resumes_and_files_stay_found_throughout(session):
    made = _files(session, PiiCipher(OLD))
    rotating = PiiCipher(NEW, [OLD])

    class Interrupted(Exception):
        pass

    def stop_after_first(table, seen):
        if table == "households":
            raise Interrupted

    with pytest.raises(Interrupted):
        rotation.rotate(session, ACTOR, rotating, batch=2, on_batch=stop_after_first)
    assert 0 < rotation.remaining(session, rotating) < len(made) + 1
    # Half rotated: every file is read and found, by ID number, phone and name.
    for hid, name, number, phone in made:
        h = lookup.find_by_id_number(session, rotating, number)
        assert h is not None and h.id == hid
        assert rotating.decrypt(h.head_name_enc) == name
        assert hid in _found(session, rotating, phone) and hid in _found(session, rotating, name)
        assert hid in _found(session, rotating, name[:1])
    # A new file, written meanwhile, is under the new key only; a duplicate of an old one is refused.
    data = HouseholdInSchema().load(HouseholdFactory(id_number=id_number()))
    fresh = done(session, files.create_household, ACTOR, rotating, data)
    assert rotating.is_current(fresh.head_name_enc)
    with pytest.raises(Conflict) as refused:
        done(session, files.create_household, ACTOR, rotating,
             HouseholdInSchema().load(HouseholdFactory(id_number=made[-1][2])))
    assert refused.value.code == "duplicate_household"

    progress = rotation.rotate(session, ACTOR, rotating, batch=2)
    assert progress.rotated["households"] > 0 and progress.rotated["household_members"] == 1
    assert rotation.remaining(session, rotating) == 0
    again = rotation.rotate(session, ACTOR, rotating, batch=2)
    assert sum(again.rotated.values()) == 0, "a finished rotation rewrites nothing"

    only_new = PiiCipher(NEW)
    for hid, name, number, phone in made:
        h = lookup.find_by_id_number(session, only_new, number)
        assert h.id == hid and only_new.decrypt(h.head_name_enc) == name
        assert only_new.decrypt(h.phone_enc) == phone
        assert _found(session, only_new, name) == {hid}
    member = session.execute(select(HouseholdMember).where(HouseholdMember.name_enc.isnot(None))).scalar_one()
    assert only_new.decrypt(member.name_enc) == "邱小红"
    assert member.id_number_hash == only_new.blind_index("id", "440101199001010011")
    assert member.name_hash == only_new.blind_index("name", "邱小红")
    with pytest.raises(InvalidToken):
        PiiCipher(OLD).decrypt(member.name_enc)
    actions = session.execute(text("SELECT count(*) FROM audit_events WHERE action = 'pii.rotate'"))
    assert actions.scalar() >= 2


def test_a_file_edited_during_rotation_keeps_its_edit(session):
    [(hid, _name, _number, _phone)] = _files(session, PiiCipher(OLD), n=1)
    rotating = PiiCipher(NEW, [OLD])
    row = session.execute(select(Household.id, Household.head_name_enc, Household.id_number_enc,
                                 Household.phone_enc).where(Household.id == hid)).one()
    session.rollback()
    # The officer renames the head (written under the new key) after the rotation read the row.
    session.execute(update(Household).where(Household.id == hid).values(
        head_name_enc=rotating.encrypt("邱改名"), head_name_hash=rotating.blind_index("name", "邱改名")))
    progress = rotation.Progress({}, {})
    assert rotation._rotate_row(session, Household, rotation.TABLES[Household], rotating, row,
                                progress) == 0
    session.commit()
    assert progress.skipped_changed == 1
    h = session.get(Household, hid)
    assert rotating.decrypt(h.head_name_enc) == "邱改名"


def test_the_command_needs_the_old_key_and_rotates_with_it(session, app, runner, database_url):
    made = _files(session, app.extensions["creditsvc.core.pii"], n=3)
    refused = runner.invoke(args=["pii", "rotate-key"])
    assert refused.exit_code == 1 and "CREDITSVC_PII_OLD_KEYS" in refused.output
    session.remove()
    rotated_app = create_app(make_config(database_url, PII_KEY=NEW, PII_OLD_KEYS=(app.config["PII_KEY"],)))
    with rotated_app.app_context():
        result = rotated_app.test_cli_runner().invoke(args=["pii", "rotate-key", "--batch", "2"])
        assert result.exit_code == 0, result.output
        assert "households: 3 of 3 rows rewritten" in result.output
        assert "every value is under the new key" in result.output
        h = lookup.find_by_id_number(db.session, PiiCipher(NEW), made[0][2])
        assert h is not None and PiiCipher(NEW).decrypt(h.head_name_enc) == made[0][1]
        db.session.remove()
        db.engine.dispose()
