"""/api/imports: upload (multipart), progress, mapping, row errors and the error report, saved
mappings; the same refusals as the pages."""

import json

from chongdich.imports import report, runner
from chongdich.imports.tests.helpers import ImportTestCase, csv_file


class ImportApiTests(ImportTestCase):
    def as_user(self, persona: str):
        self.client.force_login(self.users[persona])

    def upload(self, headers, rows, **data):
        return self.client.post("/api/imports", {"kind": "people", "file": csv_file(headers, rows),
                                                 **data})

    def assertStatus(self, response, status: int):
        self.assertEqual(response.status_code, status, response.content.decode()[:500])
        return response.json() if response.get("Content-Type", "").startswith("application/json") else None

    def test_kinds_are_listed_with_their_fields(self):
        self.as_user("commune_officer")
        kinds = self.assertStatus(self.client.get("/api/imports/kinds"), 200)
        people = next(k for k in kinds if k["name"] == "people")
        self.assertIn({"name": "full_name", "label": "Họ và tên", "required": True, "help": ""},
                      people["fields"])

    def test_an_upload_is_queued_and_its_progress_and_errors_can_be_read(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.upload(["Họ tên", "Giới tính"], [["An", "Nam"], ["Bình", "?!"]]), 201)
        self.assertEqual((body["status"], body["columns"]), ("queued", {"full_name": "Họ tên", "sex": "Giới tính"}))
        runner.job_run(body["id"])
        job = self.assertStatus(self.client.get(f"/api/imports/{body['id']}"), 200)
        self.assertEqual((job["status"], job["percent"], job["created_count"], job["error_count"]),
                         ("done", 100, 1, 1))
        errors = self.assertStatus(self.client.get(f"/api/imports/{body['id']}/errors"), 200)
        self.assertEqual(errors["items"], [{"row": 3, "column": "sex", "header": "Giới tính",
                                            "value": "?!", "reason": errors["items"][0]["reason"],
                                            "values": ["Bình", "?!"]}])
        self.assertIn("Giới tính không rõ", errors["items"][0]["reason"])

    def test_the_error_report_downloads_as_csv_and_xlsx(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.upload(["Họ tên", "Giới tính"], [["Bình", "?!"]]), 201)
        runner.job_run(body["id"])
        response = self.client.get(f"/api/imports/{body['id']}/errors.csv")
        rows = report.read_csv(b"".join(response.streaming_content))
        self.assertEqual(rows[0], ["Dòng", "Cột", "Giá trị", "Lý do", "Họ tên", "Giới tính"])
        self.assertEqual(rows[1][:3] + rows[1][4:], ["2", "Giới tính", "?!", "Bình", "?!"])
        xlsx = self.client.get(f"/api/imports/{body['id']}/errors.xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))

    def test_an_upload_with_unclear_columns_waits_for_its_mapping(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.upload(["Tên người", "Ghi chú"], [["An", "x"]]), 201)
        self.assertEqual((body["status"], body["missing"], body["headers"]),
                         ("mapping", ["full_name"], ["Tên người", "Ghi chú"]))
        mapped = self.client.post(f"/api/imports/{body['id']}/mapping",
                                  json.dumps({"columns": {"full_name": "Tên người"}, "save_as": "Xã A1"}),
                                  content_type="application/json")
        self.assertEqual(self.assertStatus(mapped, 200)["status"], "queued")
        mappings = self.assertStatus(self.client.get("/api/imports/mappings?kind=people"), 200)
        self.assertEqual([(m["name"], m["columns"]) for m in mappings], [("Xã A1", {"full_name": "Tên người"})])

    def test_explicit_columns_can_be_sent_with_the_file(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.upload(["Tên người"], [["An"]],
                                             columns=json.dumps({"full_name": "Tên người"})), 201)
        self.assertEqual(body["status"], "queued")

    def test_a_job_of_another_commune_is_not_found(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.upload(["Họ tên"], [["An"]]), 201)
        self.as_user("outsider")
        for url in (f"/api/imports/{body['id']}", f"/api/imports/{body['id']}/errors",
                    f"/api/imports/{body['id']}/errors.csv"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_viewer_may_not_upload(self):
        self.as_user("viewer")
        response = self.upload(["Họ tên"], [["An"]])
        self.assertEqual(response.status_code, 403)

    def test_mappings_can_be_created_changed_and_deleted(self):
        self.as_user("commune_officer")
        created = self.client.post("/api/imports/mappings", json.dumps(
            {"name": "CDC", "kind": "people", "columns": {"full_name": "Tên"}}), content_type="application/json")
        mapping = self.assertStatus(created, 201)
        self.assertEqual(mapping["unit"], self.units["commune_a1"].code)
        changed = self.client.patch(f"/api/imports/mappings/{mapping['id']}",
                                    json.dumps({"name": "CDC tỉnh"}), content_type="application/json")
        self.assertEqual(self.assertStatus(changed, 200)["name"], "CDC tỉnh")
        self.assertEqual(self.client.delete(f"/api/imports/mappings/{mapping['id']}").status_code, 204)
        self.assertEqual(self.client.get(f"/api/imports/mappings/{mapping['id']}").status_code, 404)

    def test_an_invalid_mapping_answers_with_the_field_at_fault(self):
        self.as_user("commune_officer")
        response = self.client.post("/api/imports/mappings", json.dumps(
            {"name": "CDC", "kind": "people", "columns": {"nope": "Tên"}}), content_type="application/json")
        self.assertEqual(self.assertStatus(response, 422)["field"], "columns")
