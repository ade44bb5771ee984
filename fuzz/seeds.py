#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (run from anywhere; rerun after a schema or
route change). Seeds are valid frames and bodies: the examples of the OCPP-J specifications
(1.6 section 4.2, 2.0.1/2.1 part 4 section 4.2), frames from tests/unit and the payload shapes
of tests/integration (session.test.js, ocpp2.js), and for every message a station sends one
instance built from its official schema (required properties only). Each target's selector
bytes (fuzz/*_fuzz.cpp) come first. File names are stable, so a rerun shows as a diff; files
named finding-* are inputs that once found a defect and are kept."""
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.path.join(ROOT, "schemas", "ocpp")
OUT = os.path.join(ROOT, "fuzz", "corpus")
VERSIONS = [("1.6", 0), ("2.0.1", 1), ("2.1", 2)]  # folder, selector (fuzz_support.hpp version_from)
T = "2026-06-01T12:00:00Z"

# The actions a station sends (src/ocpp/v16/dispatcher.cpp station_actions, v2 actions_201/actions_21).
STATION_16 = ["Authorize", "BootNotification", "DataTransfer", "DiagnosticsStatusNotification",
              "FirmwareStatusNotification", "Heartbeat", "LogStatusNotification", "MeterValues",
              "SecurityEventNotification", "SignCertificate", "SignedFirmwareStatusNotification",
              "StartTransaction", "StatusNotification", "StopTransaction"]
STATION_201 = ["Authorize", "BootNotification", "ClearedChargingLimit", "DataTransfer", "FirmwareStatusNotification",
               "Get15118EVCertificate", "GetCertificateStatus", "Heartbeat", "LogStatusNotification", "MeterValues",
               "NotifyChargingLimit", "NotifyCustomerInformation", "NotifyDisplayMessages", "NotifyEVChargingNeeds",
               "NotifyEVChargingSchedule", "NotifyEvent", "NotifyMonitoringReport", "NotifyReport",
               "PublishFirmwareStatusNotification", "ReportChargingProfiles", "ReservationStatusUpdate",
               "SecurityEventNotification", "SignCertificate", "StatusNotification", "TransactionEvent"]
STATION_21 = STATION_201 + ["BatterySwap", "ClosePeriodicEventStream", "NotifyDERAlarm", "NotifyDERStartStop",
                            "NotifyPeriodicEventStream", "NotifyPriorityCharging", "NotifySettlement",
                            "OpenPeriodicEventStream", "PullDynamicScheduleUpdate", "ReportDERControl",
                            "VatNumberValidation"]
STATION = {"1.6": STATION_16, "2.0.1": STATION_201, "2.1": STATION_21}

# Realistic payloads (spec examples and the integration tests' shapes).
EXAMPLES = {
    "1.6": [
        ("BootNotification", {"chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"}),
        ("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22", "chargePointSerialNumber": "SN-1",
                              "firmwareVersion": "1.2.3", "meterType": "DC", "iccid": "8931", "imsi": "2620"}),
        ("Heartbeat", {}),
        ("Authorize", {"idTag": "TAG1"}),
        ("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": T}),
        ("StatusNotification", {"connectorId": 0, "errorCode": "GroundFailure", "status": "Faulted", "info": "x",
                                "vendorErrorCode": "E17"}),
        ("StartTransaction", {"connectorId": 1, "idTag": "TAG1", "meterStart": 1000, "timestamp": T}),
        ("StartTransaction", {"connectorId": 2, "idTag": "04A2B3C4D5", "meterStart": 0, "reservationId": 7,
                              "timestamp": "2026-06-01T12:00:00.123+02:00"}),
        ("MeterValues", {"connectorId": 1, "transactionId": 1, "meterValue": [{"timestamp": T, "sampledValue": [
            {"value": "2000", "context": "Sample.Periodic", "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
            {"value": "7.4", "measurand": "Power.Active.Import", "unit": "kW", "phase": "L1", "location": "Outlet"}]}]}),
        ("StopTransaction", {"transactionId": 1, "idTag": "TAG1", "meterStop": 5000, "timestamp": T, "reason": "Local",
                             "transactionData": [{"timestamp": T, "sampledValue": [{"value": "5000", "unit": "Wh"}]}]}),
        ("StopTransaction", {"transactionId": 2, "meterStop": 0, "timestamp": T}),
        ("DataTransfer", {"vendorId": "com.example", "messageId": "m", "data": "{\"a\":1}"}),
        ("FirmwareStatusNotification", {"status": "Installed"}),
        ("DiagnosticsStatusNotification", {"status": "Uploaded"}),
        ("SecurityEventNotification", {"type": "FirmwareUpdated", "timestamp": T, "techInfo": "ok"}),
    ],
    "2.0.1": [
        ("BootNotification", {"reason": "PowerUp", "chargingStation": {"model": "SingleSocketCharger", "vendorName": "VendorX"}}),
        ("BootNotification", {"reason": "PowerUp", "chargingStation": {"model": "Model-2X", "vendorName": "Acme",
                              "serialNumber": "SN-1", "firmwareVersion": "2.0.1-rc", "modem": {"iccid": "8931", "imsi": "2620"}}}),
        ("Heartbeat", {}),
        ("Authorize", {"idToken": {"idToken": "TAG1", "type": "ISO14443"}}),
        ("Authorize", {"idToken": {"idToken": "", "type": "NoAuthorization"}}),
        ("StatusNotification", {"timestamp": T, "connectorStatus": "Available", "evseId": 1, "connectorId": 1}),
        ("StatusNotification", {"timestamp": T, "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1}),
        ("TransactionEvent", {"eventType": "Started", "timestamp": T, "triggerReason": "Authorized", "seqNo": 0,
                              "transactionInfo": {"transactionId": "TX-1", "chargingState": "EVConnected"},
                              "idToken": {"idToken": "TAG1", "type": "ISO14443"}, "evse": {"id": 1, "connectorId": 1},
                              "meterValue": [{"timestamp": T, "sampledValue": [{"value": 1000, "context": "Transaction.Begin",
                                             "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "Wh"}}]}]}),
        ("TransactionEvent", {"eventType": "Updated", "timestamp": T, "triggerReason": "ChargingStateChanged", "seqNo": 1,
                              "transactionInfo": {"transactionId": "TX-1", "chargingState": "Charging"}}),
        ("TransactionEvent", {"eventType": "Updated", "timestamp": T, "triggerReason": "MeterValuePeriodic", "seqNo": 2,
                              "transactionInfo": {"transactionId": "TX-1"},
                              "meterValue": [{"timestamp": T, "sampledValue": [{"value": 3.5, "measurand": "Energy.Active.Import.Register",
                                             "unitOfMeasure": {"unit": "kWh", "multiplier": 3}}]}]}),
        ("TransactionEvent", {"eventType": "Ended", "timestamp": T, "triggerReason": "EVCommunicationLost", "seqNo": 3,
                              "transactionInfo": {"transactionId": "TX-1", "chargingState": "Idle", "stoppedReason": "EVDisconnected"},
                              "meterValue": [{"timestamp": T, "sampledValue": [{"value": 8000, "context": "Transaction.End",
                                             "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "Wh"}}]}]}),
        ("TransactionEvent", {"eventType": "Started", "timestamp": T, "triggerReason": "RemoteStart", "seqNo": 0,
                              "transactionInfo": {"transactionId": "TX-2", "remoteStartId": 77}, "evse": {"id": 1, "connectorId": 1}}),
        ("MeterValues", {"evseId": 1, "meterValue": [{"timestamp": T, "sampledValue": [{"value": 230.1, "measurand": "Voltage", "phase": "L1-N"}]}]}),
        ("NotifyReport", {"requestId": 1, "generatedAt": T, "seqNo": 0, "reportData": [
            {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "SecurityProfile"},
             "variableAttribute": [{"type": "Actual", "value": "1", "mutability": "ReadOnly"}]}]}),
        ("NotifyEvent", {"generatedAt": T, "seqNo": 0, "eventData": [{"eventId": 1, "timestamp": T, "trigger": "Delta",
                         "actualValue": "Faulted", "eventNotificationType": "HardWiredNotification",
                         "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
                         "variable": {"name": "AvailabilityState"}}]}),
        ("DataTransfer", {"vendorId": "com.example", "messageId": "m", "data": {"a": [1, 2]}}),
        ("SecurityEventNotification", {"type": "StartupOfTheDevice", "timestamp": T}),
        ("FirmwareStatusNotification", {"status": "Installed", "requestId": 3}),
    ],
}
EXAMPLES["2.1"] = EXAMPLES["2.0.1"] + [
    ("NotifyPeriodicEventStream", {"id": 123, "pending": 0, "basetime": T,
                                   "data": [{"t": 0, "v": "230.4"}, {"t": 5, "v": "230.2"}]}),
]

# Boundary values a station can send (issue 9's hostile inputs): the integer and double limits,
# numbers as text that strtod reads as non-finite, ids past the int range, a timestamp without offset.
BOUNDARY = {
    "1.6": [
        ("StartTransaction", {"connectorId": 4294967297, "idTag": "TAG1", "meterStart": 9223372036854775807, "timestamp": T}),
        ("StartTransaction", {"connectorId": 18446744073709551615, "idTag": "TAG1", "meterStart": 0, "timestamp": T}),
        ("MeterValues", {"connectorId": 1, "transactionId": 9223372036854775807, "meterValue": [{"timestamp": T, "sampledValue": [
            {"value": "nan"}, {"value": "inf", "unit": "kWh"}, {"value": "1e400"}, {"value": "1e300", "unit": "Wh"}]}]}),
        ("StopTransaction", {"transactionId": -1, "meterStop": -9223372036854775808, "timestamp": "2026-11-29T08:47:10"}),
    ],
    "2.0.1": [
        ("TransactionEvent", {"eventType": "Updated", "timestamp": T, "triggerReason": "MeterValuePeriodic",
                              "seqNo": 9223372036854775807, "transactionInfo": {"transactionId": "TX-1"},
                              "evse": {"id": 4294967297, "connectorId": 1},
                              "meterValue": [{"timestamp": T, "sampledValue": [{"value": 1e300, "unitOfMeasure": {"unit": "Wh", "multiplier": 400}},
                                                                               {"value": -1e308}]}]}),
        ("StatusNotification", {"timestamp": "2026-11-29T08:47:10", "connectorStatus": "Available", "evseId": 18446744073709551615,
                                "connectorId": 1}),
    ],
}
BOUNDARY["2.1"] = BOUNDARY["2.0.1"]

# Frames as the OCPP-J texts and tests/unit write them, hostile ones included.
FRAMES = [
    '[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]',
    '[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","heartbeatInterval":300}]',
    '[4,"162376037","NotSupported","SetDisplayMessageRequest not supported",{}]',
    '[6,"19223201","NotifyPeriodicEventStream",{"id":123,"pending":0,"basetime":"2024-08-27T12:30:40Z","data":[{"t":0,"v":"230.4"}]}]',
    '[5,"19223201","FormatViolation","not understood",{}]',
    '[2,"h1","Heartbeat",{}]',
    '[2,"u1","FlyToTheMoon",{}]',
    '[2,"r1","Reset",{"type":"Soft"}]',
    '[2,"b1","BootNotification",{"chargePointVendor":"V"}]',
    '[2,"b2","BootNotification",{"chargePointVendor":"V","chargePointModel":1}]',
    '[3,"a2",{"x":1}]',
    '[4,"a3","NotSupported","nope",{}]',
    '[4,"m1","OccurenceConstraintViolation","missing",{}]',
    '[2,"id"]',
    '[2,17,"Heartbeat",{}]',
    '[2,"a","Heartbeat",{}, 5]',
    '[2,"a","Heartbeat",[]]',
    '[2,"0123456789012345678901234567890123456","Heartbeat",{}]',
    '[3,"n",null]',
    '[7,"x","Heartbeat",{}]',
    '[2.0,"x","Heartbeat",{}]',
    '{"not":"an array"}',
    '[2,"x","Heartbeat",{}',
    '[18446744073709551615,"x","Heartbeat",{}]',
    '[2,"x","DataTransfer",{"vendorId":"V","data":"\\ud800"}]',
]


def actions(version):
    """The generator's order (tools/ocpp_codegen.py load_messages): sorted file stems."""
    stems = sorted(f[:-5] for f in os.listdir(os.path.join(SCHEMAS, version)) if f.endswith(".json"))
    return [s[:-7] if s.endswith("Request") else s for s in stems if not s.endswith("Response")]


def schema(version, action, response=False):
    d = os.path.join(SCHEMAS, version)
    for name in ([action + "Response"] if response else [action + "Request", action]):
        p = os.path.join(d, name + ".json")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                return json.load(f)
    return None


def instance(node, root):
    """A small valid instance: required properties only, the first enum value, the shortest string."""
    if "$ref" in node:
        node = root["definitions"][node["$ref"].split("/")[-1]]
    t = node.get("type")
    if "enum" in node:
        return node["enum"][0]
    if t == "object":
        return {k: instance(node["properties"][k], root) for k in node.get("required", [])}
    if t == "array":
        return [instance(node["items"], root) for _ in range(node.get("minItems", 0))]
    if t == "string":
        if node.get("format") == "date-time":
            return T
        if node.get("format") == "uri":
            return "https://example.com/x"
        return "x" * max(1, node.get("minLength", 1)) if node.get("maxLength", 1) >= 1 else ""
    if t == "integer":
        return int(node.get("minimum", 1))
    if t == "number":
        return node.get("minimum", 1.5)
    if t == "boolean":
        return True
    return {}


def dump(payload):
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def main():
    for target in ("frame", "schema", "decode", "inbound", "api"):
        d = os.path.join(OUT, target)
        for name in os.listdir(d) if os.path.isdir(d) else []:
            if not name.startswith("finding-"):  # inputs that found a defect stay (tests/unit/ocpp/fuzz_findings_test.cpp)
                os.remove(os.path.join(d, name))
    for frame in FRAMES:
        write("frame", frame)
    for version, sel in VERSIONS:
        names = actions(version)
        seen = set()
        for n, (action, payload) in enumerate(EXAMPLES[version]):
            frame = f'[2,"{version}-{n}","{action}",{dump(payload)}]'
            if version != "2.1":  # 2.1 shares 2.0.1's shapes: one copy is enough for the parser
                write("frame", frame)
            idx = names.index(action)
            for target in ("schema", "decode"):
                write(target, bytes([sel, idx]) + dump(payload).encode())
            seen.add(action)
        for n, (action, payload) in enumerate(BOUNDARY[version]):
            write("frame", f'[2,"b{n}","{action}",{dump(payload)}]')
            for target in ("schema", "decode"):
                write(target, bytes([sel, names.index(action)]) + dump(payload).encode())
            write("inbound", bytes([sel]) + f'[2,"b{n}","{action}",{dump(payload)}]'.encode())
        for action in STATION[version]:
            if action in seen:
                continue
            s = schema(version, action)
            payload = instance(s, s)
            write("decode", bytes([sel, names.index(action)]) + dump(payload).encode())
            if version != "2.0.1":  # 2.1 repeats 2.0.1's: one copy is enough for the validator
                write("schema", bytes([sel, names.index(action)]) + dump(payload).encode())
        # What stations answer to the commands Gridlane sends (src/ocpp/commands.cpp).
        for action, answer in (("Reset", {"status": "Accepted"}), ("ChangeAvailability", {"status": "Scheduled"}),
                               ("UnlockConnector", {"status": "Unlocked"} if version == "1.6" else {"status": "Unlocked"}),
                               ("ClearCache", {"status": "Accepted"})):
            if action in names and schema(version, action, True):
                for target in ("schema", "decode"):
                    write(target, bytes([sel | 0x80, names.index(action)]) + dump(answer).encode())

    # The inbound path: a version byte, then frames one per line, as a station's session.
    sessions = {
        "1.6": [["BootNotification", "StatusNotification", "Authorize", "StartTransaction", "MeterValues", "StopTransaction"],
                ["Heartbeat", "DataTransfer", "FirmwareStatusNotification", "SecurityEventNotification"],
                ["StartTransaction", "StartTransaction", "StopTransaction", "StopTransaction"]],
        "2.0.1": [["BootNotification", "StatusNotification", "Authorize", "TransactionEvent", "TransactionEvent",
                   "TransactionEvent", "TransactionEvent"],
                  ["Heartbeat", "NotifyReport", "NotifyEvent", "MeterValues", "DataTransfer"]],
    }
    sessions["2.1"] = sessions["2.0.1"] + [["NotifyPeriodicEventStream", "Heartbeat"]]
    for version, sel in VERSIONS:
        examples = EXAMPLES[version]
        for session in sessions[version]:
            lines, used = [], {}
            for k, action in enumerate(session):
                picks = [p for a, p in examples if a == action]
                payload = picks[used.get(action, 0) % len(picks)]
                used[action] = used.get(action, 0) + 1
                kind = 6 if action == "NotifyPeriodicEventStream" else 2
                lines.append(f'[{kind},"m{k}","{action}",{dump(payload)}]')
            write("inbound", bytes([sel]) + "\n".join(lines).encode())
        for n, (action, payload) in enumerate(examples):
            write("inbound", bytes([sel]) + f'[2,"s{n}","{action}",{dump(payload)}]'.encode())
        # A CALLRESULT and a CALLERROR to nothing Gridlane sent, and a broken frame.
        write("inbound", bytes([sel]) + b'[3,"nobody",{}]\n[4,"x","GenericError","",{}]\n[2,"x","Heartbeat"')

    # API bodies: the route byte (fuzz/api_fuzz.cpp routes[]), then the body.
    bodies = [
        (0, {"username": "admin", "password": "correct horse battery"}),
        (1, {"id": "CS-NEW-1"}),
        (1, {"id": "CS-NEW-2", "password": "a-station-password-16", "site": "depot", "pending": True}),
        (2, {"password": "0123456789abcdef0123"}),
        (2, {"password": None}),
        (3, {"site": "north"}),
        (3, {"site": None}),
        (4, {"timestamps_without_offset": True}),
        (4, {"timestamps_without_offset": False, "extra_properties_in_answers": True}),
        (5, {"kind": "reset", "params": {"type": "soft"}}),
        (5, {"kind": "start_transaction", "params": {"id_tag": "TAG1", "evse_id": 1}}),
        (5, {"kind": "stop_transaction", "params": {"transaction_id": 1}}),
        (5, {"kind": "change_availability", "params": {"operative": False}}),
        (5, {"kind": "unlock_connector", "params": {"connector_id": 1}}),
        (5, {"kind": "get_variables", "params": {"variables": [{"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval"}]}}),
        (5, {"kind": "trigger_message", "params": {"message": "StatusNotification", "evse_id": 1}}),
        (5, {"kind": "data_transfer", "params": {"vendor_id": "com.example", "message_id": "m", "data": {"a": 1}}}),
        (5, {"kind": "reserve_now", "params": {"id_tag": "TAG1", "expires_at": T, "evse_id": 1}}),
        (5, {"kind": "send_local_list", "params": {"version": 2, "tokens": [{"id_tag": "TAG1", "status": "Accepted"}]}}),
        (5, {"kind": "update_firmware", "params": {"location": "https://example.com/fw.bin", "retrieve_at": T, "retries": 3}}),
        (6, {"tokens": [{"id_tag": "T1"}, {"id_tag": "T2", "status": "Blocked", "expires_at": T, "parent_id_tag": "G1"}]}),
        (7, {"status": "Accepted"}),
        (7, {"status": "Expired", "expires_at": T, "parent_id_tag": None}),
        (8, {"username": "op1", "password": "twelve-chars-at-least", "role": "operator"}),
        (9, {"name": "ci", "role": "viewer"}),
    ]
    for route, body in bodies:
        write("api", bytes([route]) + dump(body).encode())
    write("api", bytes([1]) + b"not json")
    write("api", bytes([5]) + b"[]")


def vocabulary(node, root, out, seen):
    """Property names and enum values of a schema, for a libFuzzer dictionary."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            name = ref.split("/")[-1]
            if name not in seen:
                seen.add(name)
                vocabulary(root["definitions"][name], root, out, seen)
        for k in node.get("properties", {}):
            out.add(json.dumps(k))
        for v in node.get("enum", []):
            out.add(json.dumps(v))
        for k in ("properties", "items"):
            if k in node:
                vocabulary(node[k] if k == "items" else list(node[k].values()), root, out, seen)
    elif isinstance(node, list):
        for item in node:
            vocabulary(item, root, out, seen)


def dictionary(target, words):
    d = os.path.join(ROOT, "fuzz", "dict")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, target + ".dict"), "w", encoding="utf-8") as f:
        f.write(f"# libFuzzer dictionary ({target}); written by fuzz/seeds.py\n")
        for n, w in enumerate(sorted(words)):
            escaped = w.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'w{n}="{escaped}"\n')


def dictionaries():
    framing = {"[2,", "[3,", "[4,", "[5,", "[6,", "{}", "[]", "null", "true", "false", '"-1"', "18446744073709551615",
               "9223372036854775807", "-9223372036854775808", "1e400", "-0", "0.5", '"\\u0000"', '"\\ud800"'}
    ocpp = set(framing) | {T, "2026-06-01T12:00:00.123+02:00", "2026-06-01T12:00:00"}
    for version, _ in VERSIONS:
        for action in STATION[version]:
            framing.add(json.dumps(action))
            ocpp.add(json.dumps(action))
            for response in (False, True):
                sch = schema(version, action, response)
                if sch:
                    vocabulary(sch, sch, ocpp, set())
    dictionary("frame", framing)
    dictionary("ocpp", ocpp)  # fuzz_schema, fuzz_decode and fuzz_inbound share the OCPP vocabulary
    api = set(framing) | {T, '"glk_"', '"timestamps_without_offset"', '"extra_properties_in_answers"'}
    for word in ("username", "password", "role", "admin", "operator", "viewer", "id", "site", "pending", "kind", "params",
                 "tokens", "id_tag", "status", "expires_at", "parent_id_tag", "name", "evse_id", "connector_id",
                 "transaction_id", "type", "soft", "hard", "operative", "variables", "component", "variable", "value",
                 "message", "vendor_id", "data", "location", "retrieve_at", "version", "reservation_id", "profile_id",
                 "charging_profile", "Accepted", "Blocked", "Expired", "Invalid"):
        api.add(json.dumps(word))
    for kind in ("start_transaction", "stop_transaction", "reset", "unlock_connector", "change_availability",
                 "get_configuration", "change_configuration", "get_variables", "set_variables", "trigger_message",
                 "clear_cache", "data_transfer", "update_firmware", "get_diagnostics", "get_log", "send_local_list",
                 "get_local_list_version", "reserve_now", "cancel_reservation", "set_charging_profile",
                 "clear_charging_profile", "get_composite_schedule"):
        api.add(json.dumps(kind))
    dictionary("api", api)


if __name__ == "__main__":
    main()
    dictionaries()
