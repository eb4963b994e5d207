"""Croissant (MLCommons) metadata of the release, derived from the Arrow schemas of its tables."""

from __future__ import annotations

import pyarrow as pa

from .card import ANNOTATION_LICENSE_URL, PRETTY_NAME, bibtex


_CROISSANT_CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}


def _croissant_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type):
        return "sc:Integer"
    if pa.types.is_floating(arrow_type):
        return "sc:Float"
    if pa.types.is_boolean(arrow_type):
        return "sc:Boolean"
    return "sc:Text"


def _croissant_field(config: str, path: list[str], arrow_type: pa.DataType, column: str) -> dict:
    field_id = "/".join([config, *path])
    field: dict = {"@type": "cr:Field", "@id": field_id, "name": path[-1]}
    is_list = pa.types.is_list(arrow_type)
    inner = arrow_type.value_type if is_list else arrow_type
    if is_list:
        field["cr:isArray"] = True
        field["cr:arrayShape"] = "-1"
    source: dict = {"fileObject": {"@id": f"{config}.parquet"}, "extract": {"column": column}}
    if len(path) > 1:
        source["transform"] = {"jsonPath": ".".join(path[1:])}
    if pa.types.is_struct(inner):
        field["subField"] = [_croissant_field(config, [*path, inner.field(i).name], inner.field(i).type, column)
                             for i in range(inner.num_fields)]
    else:
        field["dataType"] = _croissant_type(inner)
        field["source"] = source
    return field


def croissant(tables_by_config: dict[str, pa.Table], descriptions: dict[str, str], sha256: dict[str, str],
              version: str, date_published: str) -> dict:
    """Croissant JSON-LD of the release. It has no ``url``: the release's address is not known when it is
    built (the Hub repository is chosen at publication), and none is invented."""
    return {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": "minusma-corpus",
        "description": PRETTY_NAME + ". English news articles, cleaned and segmented, with entity, claim and "
                       "stance annotations.",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": bibtex(version),
        "license": [ANNOTATION_LICENSE_URL],
        "version": version,
        "datePublished": date_published,
        "inLanguage": "en",
        "keywords": ["news", "peacekeeping", "Mali", "MINUSMA", "claims", "stance", "entity linking"],
        "distribution": [
            {"@type": "cr:FileObject", "@id": f"{name}.parquet", "name": f"{name}.parquet",
             "contentUrl": f"{name}.parquet", "encodingFormat": "application/x-parquet",
             "sha256": sha256[f"{name}.parquet"]}
            for name in tables_by_config
        ],
        "recordSet": [
            {"@type": "cr:RecordSet", "@id": name, "name": name, "description": descriptions[name],
             "field": [_croissant_field(name, [f.name], f.type, f.name) for f in table.schema]}
            for name, table in tables_by_config.items()
        ],
    }
