"""A subset of the SARIF 2.1.0 JSON schema: the objects oaspec writes, with their required fields, enums
and closed property lists as the OASIS schema defines them (draft-07;
https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json, definitions sarifLog,
run, tool, toolComponent, reportingDescriptor, reportingConfiguration, multiformatMessageString, result,
message, location, physicalLocation, artifactLocation, region, logicalLocation, suppression, invocation,
notification). Objects oaspec does not write are left out; their property names are still allowed."""

from __future__ import annotations

from typing import Any

LEVEL = {"enum": ["none", "note", "warning", "error"]}
INDEX = {"type": "integer", "minimum": -1}
BAG = {"type": "object"}


def _closed(properties: dict[str, Any], names: list[str], required: list[str] | None = None) -> dict[str, Any]:
    """An object with additionalProperties false, as in the OASIS schema: `names` lists the other
    properties the schema defines (not checked further here)."""
    return {"type": "object", "additionalProperties": False, "required": required or [],
            "properties": {**{n: {} for n in names}, **properties}}


MESSAGE = _closed({"text": {"type": "string"}, "markdown": {"type": "string"}, "id": {"type": "string"},
                   "arguments": {"type": "array", "items": {"type": "string"}}, "properties": BAG}, [])
MESSAGE["anyOf"] = [{"required": ["text"]}, {"required": ["id"]}]
MULTIFORMAT = _closed({"text": {"type": "string"}, "markdown": {"type": "string"}, "properties": BAG}, [],
                      ["text"])
REGION = _closed({"startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1},
                  "endLine": {"type": "integer", "minimum": 1}, "endColumn": {"type": "integer", "minimum": 1}},
                 ["charOffset", "charLength", "byteOffset", "byteLength", "snippet", "message", "sourceLanguage",
                  "properties"])
ARTIFACT_LOCATION = _closed({"uri": {"type": "string", "format": "uri-reference"}, "uriBaseId": {"type": "string"},
                             "index": INDEX}, ["description", "properties"])
PHYSICAL = _closed({"artifactLocation": ARTIFACT_LOCATION, "region": REGION},
                   ["address", "contextRegion", "properties"])
PHYSICAL["anyOf"] = [{"required": ["address"]}, {"required": ["artifactLocation"]}]
LOGICAL = _closed({"name": {"type": "string"}, "fullyQualifiedName": {"type": "string"},
                   "kind": {"type": "string"}, "index": INDEX, "parentIndex": INDEX},
                  ["decoratedName", "properties"])
LOCATION = _closed({"physicalLocation": PHYSICAL,
                    "logicalLocations": {"type": "array", "items": LOGICAL, "uniqueItems": True}},
                   ["id", "message", "annotations", "relationships", "properties"])
SUPPRESSION = _closed({"kind": {"enum": ["inSource", "external"]},
                       "status": {"enum": ["accepted", "underReview", "rejected"]},
                       "justification": {"type": "string"}}, ["guid", "location", "properties"], ["kind"])
RESULT = _closed({"ruleId": {"type": "string"}, "ruleIndex": INDEX, "level": LEVEL, "message": MESSAGE,
                  "locations": {"type": "array", "items": LOCATION},
                  "suppressions": {"type": "array", "items": SUPPRESSION, "uniqueItems": True},
                  "properties": BAG},
                 ["rule", "kind", "analysisTarget", "guid", "correlationGuid", "occurrenceCount",
                  "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
                  "relatedLocations", "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris",
                  "provenance", "fixes", "taxa", "webRequest", "webResponse"], ["message"])
CONFIGURATION = _closed({"enabled": {"type": "boolean"}, "level": LEVEL}, ["rank", "parameters", "properties"])
DESCRIPTOR = _closed({"id": {"type": "string"}, "name": {"type": "string"}, "shortDescription": MULTIFORMAT,
                      "fullDescription": MULTIFORMAT, "help": MULTIFORMAT, "defaultConfiguration": CONFIGURATION,
                      "properties": BAG},
                     ["deprecatedIds", "guid", "deprecatedGuids", "deprecatedNames", "messageStrings", "helpUri",
                      "relationships"], ["id"])
DRIVER = _closed({"name": {"type": "string"}, "version": {"type": "string"},
                  "rules": {"type": "array", "items": DESCRIPTOR, "uniqueItems": True}},
                 ["guid", "fullName", "product", "productSuite", "shortDescription", "fullDescription",
                  "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri",
                  "organization", "notifications", "taxa", "locations", "language", "contents", "isComprehensive",
                  "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
                  "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties"], ["name"])
NOTIFICATION = _closed({"level": LEVEL, "message": MESSAGE},
                       ["locations", "threadId", "timeUtc", "exception", "descriptor", "associatedRule",
                        "properties"], ["message"])
INVOCATION = _closed({"executionSuccessful": {"type": "boolean"},
                      "toolExecutionNotifications": {"type": "array", "items": NOTIFICATION}},
                     ["commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc", "exitCode",
                      "ruleConfigurationOverrides", "notificationConfigurationOverrides",
                      "toolConfigurationNotifications", "exitCodeDescription", "exitSignalName",
                      "exitSignalNumber", "processStartFailureMessage", "machine", "account", "processId",
                      "executableLocation", "workingDirectory", "environmentVariables", "stdin", "stdout",
                      "stderr", "stdoutStderr", "properties"], ["executionSuccessful"])
RUN = _closed({"tool": _closed({"driver": DRIVER}, ["extensions", "properties"], ["driver"]),
               "invocations": {"type": "array", "items": INVOCATION},
               "results": {"type": "array", "items": RESULT}},
              ["language", "versionControlProvenance", "originalUriBaseIds", "artifacts", "logicalLocations",
               "graphs", "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
               "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
               "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
               "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties",
               "conversion"], ["tool"])
SARIF_2_1_0_SUBSET: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    **_closed({"$schema": {"type": "string", "format": "uri"}, "version": {"enum": ["2.1.0"]},
               "runs": {"type": ["array", "null"], "items": RUN}},
              ["inlineExternalProperties", "properties"], ["version", "runs"]),
}


def sarif_errors(log: Any) -> list[str]:
    """Every way `log` breaks the subset (empty when it conforms); also checks each ruleIndex points at
    the descriptor of its ruleId, which no JSON schema can say."""
    import jsonschema  # type: ignore[import-untyped, unused-ignore]  # no stubs in the test extra

    validator = jsonschema.Draft7Validator(SARIF_2_1_0_SUBSET)
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    for run in log.get("runs") or [] if isinstance(log, dict) else []:
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        for result in run.get("results", []):
            index = result.get("ruleIndex", -1)
            if index >= 0 and (index >= len(rules) or rules[index].get("id") != result.get("ruleId")):
                problems.append(f"result {result.get('ruleId')}: ruleIndex {index} names another rule")
    return problems
