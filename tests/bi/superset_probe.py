"""Runs inside the Superset side environment: drives a running Superset through its REST API as a BI user would
(the database with SERVING.md's URL, tables, columns, a dataset, a SQL Lab query, a chart-data query, a write and
a server-file read) and prints what it saw as one JSON line. argv: base URL, SQLAlchemy URI, a path to try writing."""

import json
import sys

import requests

base, uri, leak = sys.argv[1], sys.argv[2], sys.argv[3]
# "publish_id" only asks the already-created database which publish it reads (after the file was swapped).
mode = sys.argv[4] if len(sys.argv) > 4 else "full"
http = requests.Session()
token = http.post(f"{base}/api/v1/security/login",
                  json={"username": "admin", "password": "admin", "provider": "db", "refresh": True}).json()["access_token"]
http.headers["Authorization"] = f"Bearer {token}"
http.headers["X-CSRFToken"] = http.get(f"{base}/api/v1/security/csrf_token/").json()["result"]
http.headers["Referer"] = base
out = {}


def sql_lab(database_id: int, sql: str) -> dict:
    answer = http.post(f"{base}/api/v1/sqllab/execute/", json={
        "database_id": database_id, "sql": sql, "schema": "marts", "runAsync": False, "queryLimit": 1000,
        "client_id": f"c{abs(hash(sql)) % 10**9}"})
    return {"status": answer.status_code, "body": answer.json()}


if mode == "publish_id":
    (database,) = http.get(f"{base}/api/v1/database/").json()["result"]
    answer = sql_lab(database["id"], "select distinct publish_id from marts.publish_info")
    print(json.dumps({"publish_ids": [row["publish_id"] for row in answer["body"]["data"]]}))
    sys.exit(0)

tested = http.post(f"{base}/api/v1/database/test_connection/", json={"sqlalchemy_uri": uri, "database_name": "chokepoint"})
out["test_connection"] = tested.status_code
created = http.post(f"{base}/api/v1/database/", json={
    "database_name": "chokepoint", "sqlalchemy_uri": uri, "expose_in_sqllab": True,
    "extra": json.dumps({"engine_params": {"connect_args": {"read_only": True}}})})
out["create_database"] = created.status_code
database_id = created.json()["id"]
schemas = http.get(f"{base}/api/v1/database/{database_id}/schemas/").json()["result"]
out["schemas"] = schemas
tables = http.get(f"{base}/api/v1/database/{database_id}/tables/", params={"q": "(schema_name:marts)"}).json()
out["tables"] = sorted(t["value"] for t in tables["result"])
metadata = http.get(f"{base}/api/v1/database/{database_id}/table_metadata/",
                    params={"name": "fct_trade_flows", "schema": "marts"}).json()
out["columns"] = {c["name"]: c["type"] for c in metadata.get("columns", [])}
dataset = http.post(f"{base}/api/v1/dataset/", json={"database": database_id, "schema": "marts", "table_name": "fct_trade_flows"})
out["create_dataset"] = dataset.status_code
dataset_id = dataset.json()["id"]

query = sql_lab(database_id, "select source, sum(value_usd) as value_usd from marts.fct_trade_flows group by source order by source")
out["sql_lab"] = {row["source"]: row["value_usd"] for row in query["body"].get("data", [])}
chart = http.post(f"{base}/api/v1/chart/data", json={
    "datasource": {"id": dataset_id, "type": "table"}, "force": True, "result_format": "json", "result_type": "full",
    "queries": [{"columns": ["source"], "metrics": [{"expressionType": "SQL", "sqlExpression": "SUM(value_usd)",
                                                       "label": "value_usd"}], "orderby": [], "row_limit": 100}]})
out["chart_status"] = chart.status_code
out["chart"] = {row["source"]: row["value_usd"] for row in chart.json()["result"][0]["data"]} if chart.ok else chart.text[:500]

write = sql_lab(database_id, "create table marts.not_allowed as select 1 as x")
out["write"] = {"status": write["status"], "message": json.dumps(write["body"])[:300]}
read_file = sql_lab(database_id, "select * from read_text('/etc/hostname')")
out["read_file"] = {"status": read_file["status"], "message": json.dumps(read_file["body"])[:300]}
copy = sql_lab(database_id, f"copy (select 1 as x) to '{leak}'")
out["copy"] = {"status": copy["status"], "message": json.dumps(copy["body"])[:300]}
out["publish_ids"] = [row["publish_id"] for row in
                      sql_lab(database_id, "select distinct publish_id from marts.publish_info")["body"]["data"]]
print(json.dumps(out))
