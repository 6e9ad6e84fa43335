"""Catalogue tools: product types, their variants, and single items."""

from __future__ import annotations

from typing import Any

import json

from pydantic import Field

from writ_dsl.env.wording import (Phrasing, address_text, distinct, join_words, money, named, one_of,
                                  payment_method_names)
from writ_dsl.env.core import State, Tool, ToolArgs, ToolKind

from .records import find_item, get_product, record_view


class NoArgs(ToolArgs):
    pass


class ProductIdArgs(ToolArgs):
    product_id: str = Field(
        description="The product id, for example '6086499569'. A product id is not an item id."
    )


class ItemIdArgs(ToolArgs):
    item_id: str = Field(
        description="The item id, for example '1008292230'. An item id is not a product id."
    )


def list_all_product_types(state: State, args: NoArgs) -> str:
    names = {product["name"]: product["product_id"] for product in state.values("products")}
    return json.dumps(names, sort_keys=True)


def get_product_details(state: State, args: ProductIdArgs) -> dict:
    return record_view(get_product(state, args.product_id))


def get_item_details(state: State, args: ItemIdArgs) -> dict:
    return record_view(find_item(state, args.item_id))




def variant_name(product: str, options: Any) -> str:
    """ "the Water Bottle (blue, 1000ml)": a product and the values of a variant's options; a yes-or-no
    or a bare-number option is said with its name ("the Ceiling Fan (42 inch, bronze, light: no)")."""
    values = ", ".join(_option_text(k, v) for k, v in options.items()) if isinstance(options, dict) else ""
    return f"the {product} ({values})" if values else f"the {product}"


def _option_text(name: str, value: Any) -> str:
    said = str(value)
    if said.lower() in ("yes", "no", "none") or said.isdigit():
        return f"{name}: {said.lower()}"
    return said


def _variant_names(product: Any) -> dict[str, str]:
    if not isinstance(product, dict) or not isinstance(product.get("variants"), dict):
        return {}
    return {item_id: variant_name(str(product.get("name", "item")), v.get("options"))
            for item_id, v in product["variants"].items() if isinstance(v, dict)}


_PRODUCT = ("the product details", "the product's details", "the details of that product",
            "[the|that] product's [variants|options|available variants]", "the [available |]variants of the product",
            "[the|that] product [page|listing] and its variants", "every variant of [the|that] product",
            "the [options|variants] [that product comes in|the product comes in]")
_PRODUCTS = ("{n} products' details", "the details of {n} products", "the variants of {n} products",
             "[{n}|{word}] product [listings|pages]", "the [options|variants] of [{n}|{word}] products",
             "the variants of [all|each of the] {n} products")
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _products(calls: Any) -> str:
    ids = [str(c.get("product_id")) for c in calls]
    if len(calls) == 1:
        return one_of(_PRODUCT, "looked up product", *ids)
    word = _NUMBER_WORDS[len(calls)] if len(calls) < len(_NUMBER_WORDS) else str(len(calls))
    return one_of(_PRODUCTS, "looked up products", *ids).format(n=len(calls), word=word)


def _item(calls: Any) -> str:
    return one_of(("the item details", "the item's details", "that item's details", "the details of that item",
                   "the item [record|listing]"), "looked up item", *(str(c.get("item_id")) for c in calls))


def _catalog(calls: Any) -> str:
    return one_of(("the product catalog", "our product catalog", "the catalog", "the list of products we sell",
                   "[our|the store's] full product list", "the [whole|full] catalog", "the range of products we carry"),
                  "looked up catalog", len(calls))


PRODUCT_PHRASING = Phrasing(looked_up=_products, names=_variant_names, candidates="variant")
ITEM_PHRASING = Phrasing(looked_up=_item)
CATALOG_PHRASING = Phrasing(looked_up=_catalog)

TOOLS = [
    Tool(
        "get_product_details",
        ToolKind.READ,
        "Return a product type with all of its variants: each item id with its options, "
        "availability and price.",
        ProductIdArgs,
        get_product_details,
        phrasing=PRODUCT_PHRASING,
    ),
    Tool(
        "get_item_details",
        ToolKind.READ,
        "Return one item (a variant of some product): its options, availability and price.",
        ItemIdArgs,
        get_item_details,
        phrasing=ITEM_PHRASING,
    ),
    Tool(
        "list_all_product_types",
        ToolKind.READ,
        "List every product type the store sells as a JSON object from product name to "
        "product id, sorted by name. Each product type has several items with their own ids and options.",
        NoArgs,
        list_all_product_types,
        phrasing=CATALOG_PHRASING,
    ),
]
