"""Customer tools: identify a customer, read their profile, change their default address."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from writ_dsl.env.wording import (Phrasing, address_text, distinct, join_words, money, named, one_of,
                                  payment_method_names)
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .records import address_record, get_user, record_view

USER_ID = "The customer's user id, for example 'sara_doe_496'."


class FindByEmailArgs(ToolArgs):
    email: str = Field(description="The customer's email address, for example 'someone@example.com'.")


class FindByNameZipArgs(ToolArgs):
    first_name: str = Field(description="The customer's first name, for example 'John'.")
    last_name: str = Field(description="The customer's last name, for example 'Doe'.")
    zip: str = Field(description="The zip code of the customer's default address, for example '12345'.")


class UserIdArgs(ToolArgs):
    user_id: str = Field(description=USER_ID)


class AddressArgs(ToolArgs):
    """A new address. Pydantic puts the fields of later bases first, so ``class X(AddressArgs, IdArgs)``
    takes the id and then the address."""

    address1: str = Field(description="First address line, for example '123 Main St'.")
    address2: str = Field(description="Second address line, for example 'Apt 1'; may be empty.")
    city: str = Field(description="City, for example 'San Francisco'.")
    state: str = Field(description="State, for example 'CA'.")
    country: str = Field(description="Country, for example 'USA'.")
    zip: str = Field(description="Zip code, for example '12345'.")


class ModifyUserAddressArgs(AddressArgs, UserIdArgs):
    pass


def find_user_id_by_email(state: State, args: FindByEmailArgs) -> str:
    wanted = args.email.lower()
    for user_id, user in state.items("users"):
        if user["email"].lower() == wanted:
            return user_id
    raise ToolError("User not found")


def find_user_id_by_name_zip(state: State, args: FindByNameZipArgs) -> str:
    first, last = args.first_name.lower(), args.last_name.lower()
    for user_id, user in state.items("users"):
        name = user["name"]
        same_name = name["first_name"].lower() == first and name["last_name"].lower() == last
        if same_name and user["address"]["zip"] == args.zip:
            return user_id
    raise ToolError("User not found")


def get_user_details(state: State, args: UserIdArgs) -> dict:
    return record_view(get_user(state, args.user_id))


def modify_user_address(state: State, args: ModifyUserAddressArgs) -> dict:
    get_user(state, args.user_id)
    user = state.edit("users", args.user_id)
    user["address"] = address_record(args)
    return record_view(user)


EMAIL_PHRASING = Phrasing(looked_up=lambda calls: f"the account registered to {distinct(calls, 'email')}")
NAME_ZIP_PHRASING = Phrasing(looked_up=lambda calls: "the account under your name and zip code")
PROFILE_PHRASING = Phrasing(
    looked_up=lambda calls: "your profile",
    names=lambda user: payment_method_names(user.get("payment_methods") if isinstance(user, dict) else None),
)
USER_ADDRESS_PHRASING = Phrasing(
    proposal=lambda a, name: f"update the default address on your account to {address_text(a)}",
    done=lambda a, r, name: one_of((
        "Your default address has been updated.",
        f"Your account's default address is now {a.get('address1')}, {a.get('city')}.",
        f"I've saved {a.get('address1')} in {a.get('city')} as your default address.",
        f"From now on your default address is {a.get('address1')}, {a.get('city')}, {a.get('state')}."),
        "default", a.get("address1"), a.get("zip")),
)

TOOLS = [
    Tool(
        "find_user_id_by_email",
        ToolKind.READ,
        "Look up a customer's user id from their email address (case does not matter). "
        "Fails with an error when no customer has that email.",
        FindByEmailArgs,
        find_user_id_by_email,
        phrasing=EMAIL_PHRASING,
    ),
    Tool(
        "find_user_id_by_name_zip",
        ToolKind.READ,
        "Look up a customer's user id from their first name, last name and zip code. "
        "Use it only when the customer cannot be found by email or does not remember it.",
        FindByNameZipArgs,
        find_user_id_by_name_zip,
        phrasing=NAME_ZIP_PHRASING,
    ),
    Tool(
        "get_user_details",
        ToolKind.READ,
        "Return a customer's profile: name, default address, email, payment methods and order ids.",
        UserIdArgs,
        get_user_details,
        phrasing=PROFILE_PHRASING,
    ),
    Tool(
        "modify_user_address",
        ToolKind.WRITE,
        "Replace a customer's default address. Explain the change and get an explicit 'yes' "
        "from the customer first. Returns the updated profile.",
        ModifyUserAddressArgs,
        modify_user_address,
        phrasing=USER_ADDRESS_PHRASING,
    ),
]
