#!/usr/bin/env python3
"""Generates Gridlane's OCPP message types from the official OCPP JSON schemas.

For one protocol version it writes:
  messages.hpp  structs (one per object), enum classes, message traits (action, request, response)
  messages.cpp  encode/decode between those types and boost::json values
  schemas.cpp   the schema texts themselves, embedded, for the runtime validator

Decoding assumes the value was validated against its schema first (the RPC layer always does).
Naming: a schema definition keeps its name (javaType, else the definition name without "Type");
an inline object is named after its property ("idTagInfo" -> IdTagInfo), an inline enum after its
owner and property (IdTagInfoStatus); identical shapes share one type, different shapes that would
share a name get the owner's name in front.

usage: ocpp_codegen.py --schemas DIR --namespace v16 --out DIR
"""
import argparse
import json
import os
import re
import sys

CPP_KEYWORDS = {
    "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class", "const",
    "constexpr", "continue", "default", "delete", "do", "double", "else", "enum", "explicit", "export",
    "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable",
    "namespace", "new", "noexcept", "not", "nullptr", "operator", "or", "private", "protected", "public",
    "register", "return", "short", "signed", "sizeof", "static", "struct", "switch", "template", "this",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
    "volatile", "while", "xor",
}
# Enum constants that collide with macros from C headers.
MACRO_NAMES = {"NULL", "EOF", "TRUE", "FALSE", "DOMAIN", "OVERFLOW", "UNDERFLOW", "linux", "unix", "EDOM"}


def cap(name):
    return name[:1].upper() + name[1:]


def field_name(name):
    ident = re.sub(r"[^0-9A-Za-z_]", "_", name)
    return ident + "_" if ident in CPP_KEYWORDS else ident


def enum_constant(value, used):
    ident = re.sub(r"[^0-9A-Za-z_]", "_", value)
    if not ident or ident[0].isdigit():
        ident = "v" + ident
    if ident in CPP_KEYWORDS or ident in MACRO_NAMES:
        ident += "_"
    base, n = ident, 2
    while ident in used:
        ident = f"{base}_{n}"
        n += 1
    used.add(ident)
    return ident


def canonical(schema):
    drop = {"description", "javaType", "comment", "$comment", "$id", "id", "$schema", "title"}

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in drop}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return json.dumps(strip(schema), sort_keys=True)


class Generator:
    def __init__(self):
        self.types = {}  # name -> ("enum", values) | ("struct", fields)
        self.order = []
        self.shapes = {}  # (candidate name, canonical shape) -> name

    def claim(self, candidate, owner, shape, alternate=None):
        """Returns (name, is_new) for a type with this shape, reusing an identical one."""
        names = [candidate] + ([alternate] if alternate else []) + [owner + candidate, owner + "_" + candidate]
        for name in names:
            key = (name, shape)
            if key in self.shapes:
                return name, False
            if name not in self.types:
                self.shapes[key] = name
                self.types[name] = None  # reserved
                return name, True
        raise SystemExit(f"codegen: cannot name type {candidate} owned by {owner}")

    def resolve(self, schema, root):
        while "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/definitions/"):
                raise SystemExit(f"codegen: unsupported $ref {ref}")
            name = ref[len("#/definitions/"):]
            schema = root["definitions"][name]
            return schema, name
        return schema, None

    def type_of(self, schema, root, owner, prop):
        """Returns a C++ type expression for a property schema, generating named types as needed."""
        schema, defname = self.resolve(schema, root)
        if defname == "CustomDataType":
            return "boost::json::object"
        if "enum" in schema:
            if defname:
                cand = schema.get("javaType") or (defname[:-4] if defname.endswith("Type") else defname)
            else:
                cand = owner + cap(prop)
            name, new = self.claim(cand, owner, canonical(schema), defname)
            if new:
                self.types[name] = ("enum", list(schema["enum"]))
                self.order.append(name)
            return name
        t = schema.get("type")
        if isinstance(t, list):
            return "boost::json::value"
        if t == "string":
            return "core::Timestamp" if schema.get("format") == "date-time" else "std::string"
        if t == "integer":
            return "std::int64_t"
        if t == "number":
            return "double"
        if t == "boolean":
            return "bool"
        if t == "array":
            return f"std::vector<{self.type_of(schema.get('items', {}), root, owner, prop)}>"
        if t == "object" or "properties" in schema:
            if not schema.get("properties"):
                return "boost::json::object"
            if defname:
                cand = schema.get("javaType") or (defname[:-4] if defname.endswith("Type") else defname)
            else:
                cand = cap(prop)
            name, new = self.claim(cand, owner, canonical(schema), defname)
            if new:
                self.struct(name, schema, root)
            return name
        return "boost::json::value"

    def struct(self, name, schema, root):
        required = set(schema.get("required", []))
        fields = []
        for prop, sub in schema.get("properties", {}).items():
            fields.append((prop, field_name(prop), self.type_of(sub, root, name, prop), prop in required))
        self.types[name] = ("struct", fields)
        self.order.append(name)


def load_messages(schema_dir):
    """Returns [(action, request_name, request_schema, response_name, response_schema)]."""
    files = {f[:-5]: f for f in os.listdir(schema_dir) if f.endswith(".json")}
    messages = []
    for base in sorted(files):
        if base.endswith("Response"):
            continue
        action = base[:-7] if base.endswith("Request") else base
        response = action + "Response"
        with open(os.path.join(schema_dir, files[base]), encoding="utf-8") as f:
            req = json.load(f)
        res = None  # OCPP 2.1 SEND messages (e.g. NotifyPeriodicEventStream) have no response
        if response in files:
            with open(os.path.join(schema_dir, files[response]), encoding="utf-8") as f:
                res = json.load(f)
        messages.append((action, action + "Request", req, response, res))
    return messages


def emit(ns, messages, gen, out_dir):
    hpp, cpp, sch = [], [], []
    guard_ns = f"gridlane::ocpp::{ns}"
    hpp += [
        "// Generated by tools/ocpp_codegen.py from the official OCPP JSON schemas. Do not edit.",
        "#pragma once",
        "#include <cstdint>",
        "#include <optional>",
        "#include <span>",
        "#include <string>",
        "#include <string_view>",
        "#include <vector>",
        "#include <boost/json/object.hpp>",
        "#include <boost/json/value.hpp>",
        '#include "gridlane/core/time.hpp"',
        "",
        f"namespace {guard_ns} {{",
        "",
    ]
    decls = []
    for name in gen.order:
        kind, body = gen.types[name]
        if kind == "reserved":
            continue
        if kind == "enum":
            used = set()
            consts = [(v, enum_constant(v, used)) for v in body]
            hpp.append(f"enum class {name} {{ {', '.join(c for _, c in consts)} }};")
            hpp.append(f"std::string_view to_string({name} v);")
            hpp.append(f"bool from_string(std::string_view s, {name}& out);")
            hpp.append("")
            decls.append(f"void decode(const boost::json::value& v, {name}& out);")
            decls.append(f"boost::json::value encode({name} v);")
            cpp.append(f"std::string_view to_string({name} v) {{")
            cpp.append("  switch (v) {")
            for value, c in consts:
                cpp.append(f'  case {name}::{c}: return "{value}";')
            cpp.append("  }")
            cpp.append('  return "";')
            cpp.append("}")
            cpp.append(f"bool from_string(std::string_view s, {name}& out) {{")
            for value, c in consts:
                cpp.append(f'  if (s == "{value}") {{ out = {name}::{c}; return true; }}')
            cpp.append("  return false;")
            cpp.append("}")
            cpp.append(f"void decode(const boost::json::value& v, {name}& out) {{ from_string(v.as_string(), out); }}")
            cpp.append(f"boost::json::value encode({name} v) {{ return boost::json::string(to_string(v)); }}")
            cpp.append("")
        else:
            hpp.append(f"struct {name} {{")
            for prop, ident, ctype, req in body:
                if req:
                    hpp.append(f"  {ctype} {ident}{{}};")
                else:
                    hpp.append(f"  std::optional<{ctype}> {ident};")
            hpp.append("};")
            hpp.append("")
            decls.append(f"void decode(const boost::json::value& v, {name}& out);")
            decls.append(f"boost::json::value encode(const {name}& in);")
            cpp.append(f"void decode(const boost::json::value& v, {name}& out) {{")
            if body:
                cpp.append("  const auto& o = v.as_object();")
            else:
                cpp.append("  (void)v; (void)out;")
            for prop, ident, ctype, req in body:
                if req:
                    cpp.append(f'  decode(o.at("{prop}"), out.{ident});')
                else:
                    cpp.append(f'  if (const auto* f = o.if_contains("{prop}")) decode(*f, out.{ident}.emplace());')
            cpp.append("}")
            cpp.append(f"boost::json::value encode(const {name}& in) {{")
            cpp.append("  boost::json::object o;")
            if not body:
                cpp.append("  (void)in;")
            for prop, ident, ctype, req in body:
                if req:
                    cpp.append(f'  o.emplace("{prop}", encode(in.{ident}));')
                else:
                    cpp.append(f'  if (in.{ident}) o.emplace("{prop}", encode(*in.{ident}));')
            cpp.append("  return o;")
            cpp.append("}")
            cpp.append("")
    hpp += decls
    hpp.append("")
    hpp.append("// Message traits: one per action, naming its request and response types.")
    for action, req_name, _, res_name, res in messages:
        hpp.append(f"struct {action} {{")
        hpp.append(f'  static constexpr std::string_view action = "{action}";')
        hpp.append(f"  using Request = {req_name};")
        hpp.append(f"  using Response = {res_name if res is not None else 'void'};")
        hpp.append("};")
    hpp.append("")
    hpp.append("//! Every action of this version, sorted.")
    hpp.append("std::span<const std::string_view> actions();")
    hpp.append("")
    hpp.append("struct SchemaText {")
    hpp.append("  std::string_view name; //!< \"<Action>Request\" or \"<Action>Response\"")
    hpp.append("  std::string_view json;")
    hpp.append("};")
    hpp.append("//! The official schema of every request and response, as shipped.")
    hpp.append("std::span<const SchemaText> schemas();")
    hpp.append("")
    hpp.append(f"}} // namespace {guard_ns}")

    cpp_head = [
        "// Generated by tools/ocpp_codegen.py from the official OCPP JSON schemas. Do not edit.",
        f'#include "gridlane/ocpp/{ns}/messages.hpp"',
        '#include "gridlane/ocpp/codec_support.hpp"',
        "",
        f"namespace {guard_ns} {{",
        "using gridlane::ocpp::codec::decode;",
        "using gridlane::ocpp::codec::encode;",
        "",
    ]
    cpp = cpp_head + cpp
    cpp.append("namespace {")
    cpp.append("constexpr std::string_view action_names[] = {")
    for action, *_ in messages:
        cpp.append(f'  "{action}",')
    cpp.append("};")
    cpp.append("} // namespace")
    cpp.append("std::span<const std::string_view> actions() { return action_names; }")
    cpp.append("")
    cpp.append(f"}} // namespace {guard_ns}")

    sch += [
        "// Generated by tools/ocpp_codegen.py: the official OCPP JSON schemas, embedded. Do not edit.",
        f'#include "gridlane/ocpp/{ns}/messages.hpp"',
        "",
        f"namespace {guard_ns} {{",
        "namespace {",
        "constexpr SchemaText schema_table[] = {",
    ]
    for _, req_name, req, res_name, res in messages:
        for name, doc in ((req_name, req), (res_name, res)):
            if doc is None:
                continue
            text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
            sch.append(f'  {{"{name}", R"OCPPSCHEMA({text})OCPPSCHEMA"}},')
    sch += ["};", "} // namespace", "std::span<const SchemaText> schemas() { return schema_table; }", "",
            f"}} // namespace {guard_ns}"]

    inc = os.path.join(out_dir, "include", "gridlane", "ocpp", ns)
    os.makedirs(inc, exist_ok=True)
    write_if_changed(os.path.join(inc, "messages.hpp"), "\n".join(hpp) + "\n")
    write_if_changed(os.path.join(out_dir, f"{ns}_messages.cpp"), "\n".join(cpp) + "\n")
    write_if_changed(os.path.join(out_dir, f"{ns}_schemas.cpp"), "\n".join(sch) + "\n")


def write_if_changed(path, text):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--namespace", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    messages = load_messages(args.schemas)
    gen = Generator()
    for action, *_ in messages:  # the message traits structs are named after the actions
        gen.types[action] = ("reserved", None)
    for action, req_name, req, res_name, res in messages:  # message names come first
        for name, root in ((req_name, req), (res_name, res)):
            if root is not None:
                gen.claim(name, "", canonical(root) + name)
    for action, req_name, req, res_name, res in messages:
        for name, root in ((req_name, req), (res_name, res)):
            if root is not None:
                gen.struct(name, root, root)
    emit(args.namespace, messages, gen, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
