"""A workbook Excel names by its OneDrive or SharePoint address is found as the file synced to this computer, from
the OneDrive folders the environment names and the sync engine's list (passed in as data: no registry here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragbook.core.errors import InputError
from ragbook.ribbon.paths import SyncedFolder, candidates, is_web_address, mac_folders, synced_file

PERSONAL = "https://d.docs.live.net/4f2a9c1b8e7d6a50/Documents/Safeguarding/ActionPlan.xlsm"
WORK = "https://contoso-my.sharepoint.com/personal/jo_bloggs_contoso_org/Documents/LSCP%20Plans/ActionPlan.xlsm"
SITE = "https://contoso.sharepoint.com/sites/LSCP/Shared%20Documents/Action%20Plans/ActionPlan.xlsm"


def existing(*paths: Path):
    return lambda path: path in set(paths)


def test_a_personal_onedrive_address_is_found_under_the_consumer_folder(tmp_path):
    root = tmp_path / "OneDrive"
    expected = root / "Documents" / "Safeguarding" / "ActionPlan.xlsm"
    assert synced_file(PERSONAL, {"OneDriveConsumer": str(root)}, [], existing(expected)) == expected
    assert synced_file(PERSONAL, {"OneDrive": str(root)}, [], existing(expected)) == expected  # the older variable


def test_a_work_onedrive_address_is_found_under_the_commercial_folder_with_its_spaces(tmp_path):
    root = tmp_path / "OneDrive - Contoso"
    expected = root / "LSCP Plans" / "ActionPlan.xlsm"
    assert synced_file(WORK, {"OneDriveCommercial": str(root), "OneDriveConsumer": str(tmp_path / "x")}, [],
                       existing(expected)) == expected


def test_a_sharepoint_library_is_found_where_the_sync_engine_mounted_it(tmp_path):
    mount = tmp_path / "Contoso" / "LSCP - Documents"
    synced = [SyncedFolder("https://contoso.sharepoint.com/sites/LSCP/Shared Documents", mount)]
    expected = mount / "Action Plans" / "ActionPlan.xlsm"
    assert synced_file(SITE, {}, synced, existing(expected)) == expected


def test_a_synced_sub_folder_comes_before_its_library_and_the_first_that_exists_wins(tmp_path):
    library = SyncedFolder("https://contoso.sharepoint.com/sites/LSCP/Shared%20Documents/", tmp_path / "library")
    plans = SyncedFolder("https://CONTOSO.sharepoint.com/sites/lscp/Shared Documents/Action Plans", tmp_path / "plans")
    found = list(candidates(SITE, {}, [library, plans]))
    assert found == [tmp_path / "plans" / "ActionPlan.xlsm", tmp_path / "library" / "Action Plans" / "ActionPlan.xlsm"]
    assert synced_file(SITE, {}, [library, plans], existing(found[1])) == found[1]


def test_the_registry_mount_of_a_personal_onedrive_is_used_too(tmp_path):
    synced = [SyncedFolder("https://d.docs.live.net/4f2a9c1b8e7d6a50", tmp_path / "OneDrive")]
    expected = tmp_path / "OneDrive" / "Documents" / "Safeguarding" / "ActionPlan.xlsm"
    assert synced_file(PERSONAL, {}, synced, existing(expected)) == expected


@pytest.mark.parametrize("address", [PERSONAL, WORK, SITE])
def test_an_address_not_synced_here_is_refused_in_one_sentence(address, tmp_path):
    with pytest.raises(InputError) as refused:
        synced_file(address, {"OneDrive": str(tmp_path)}, [], existing())
    assert str(refused.value) == (f"{address}: this workbook is open from OneDrive or SharePoint and no synced copy "
                                  f"of it was found on this computer; open it from its synced folder in File Explorer "
                                  f"(Finder on a Mac), then press the button again.")


def test_a_synced_file_is_found_on_disk_by_default(tmp_path):
    plan = tmp_path / "Documents" / "Safeguarding" / "ActionPlan.xlsm"
    plan.parent.mkdir(parents=True)
    plan.write_bytes(b"")
    assert synced_file(PERSONAL, {"OneDrive": str(tmp_path)}, []) == plan


def test_web_addresses_are_told_from_paths():
    assert is_web_address(SITE) and is_web_address(" HTTPS://d.docs.live.net/x")
    assert not is_web_address(r"C:\Users\jo\OneDrive\ActionPlan.xlsm") and not is_web_address("ActionPlan.xlsm")


def test_a_macs_onedrive_folders_read_as_the_variables_windows_sets(tmp_path):
    (tmp_path / "OneDrive-Personal").mkdir()
    (tmp_path / "OneDrive-Contoso").mkdir()
    (tmp_path / "Dropbox").mkdir()
    assert mac_folders(tmp_path) == {"OneDriveConsumer": str(tmp_path / "OneDrive-Personal"),
                                     "OneDriveCommercial": str(tmp_path / "OneDrive-Contoso")}
    assert mac_folders(tmp_path / "none") == {}
