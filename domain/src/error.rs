use thiserror::Error;

use crate::role::Role;
use crate::status::SubscriptionStatus;

/// Input that does not follow its rule. Every message names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// Not an `8-4-4-4-12` GUID.
    #[error("{field} must be a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301.")]
    NotAGuid {
        /// The field as the page names it.
        field: &'static str,
    },
    /// Not an order id: 12 upper-case letters and digits.
    #[error("Order ID must be 12 upper-case letters and digits (\"{text}\" is not).")]
    NotAnOrderId {
        /// What was given.
        text: String,
    },
    /// An empty or blank nickname.
    #[error("Nickname can't be empty.")]
    NicknameEmpty,
    /// A nickname over 100 characters.
    #[error("Nickname must be at most 100 characters (it has {length}).")]
    NicknameTooLong {
        /// Characters after trimming.
        length: usize,
    },
    /// A nickname with a tab, line break or other control character.
    #[error("Nickname can't contain control characters such as tabs or line breaks.")]
    NicknameControlCharacter,
    /// An empty quantity.
    #[error("Quantity is required: enter a whole number of licenses.")]
    QuantityEmpty,
    /// A negative whole number (`-1`).
    #[error("Quantity can't be negative (you entered {text}).")]
    QuantityNegative {
        /// What was typed.
        text: String,
    },
    /// A quantity that is not a whole number (`abc`, `2.5`, `1e3`).
    #[error("Quantity must be a whole number of licenses (\"{text}\" is not).")]
    QuantityNotWholeNumber {
        /// What was typed.
        text: String,
    },
    /// A quantity too large to be a number of licenses at all.
    #[error("Quantity {text} is far above any plan's maximum.")]
    QuantityTooLarge {
        /// What was typed.
        text: String,
    },
    /// A reseller PartnerID that is not 5 to 10 digits.
    #[error("Indirect reseller PartnerID must be 5 to 10 digits (\"{text}\" is not).")]
    PartnerIdFormat {
        /// What was typed.
        text: String,
    },
    /// A catalog item id that is not `PRODUCT:SKU:AVAILABILITY`.
    #[error(
        "Catalog item ID must be PRODUCT:SKU:AVAILABILITY, like DZH318Z0BXWC:0001:DZH318Z0BMJX (\"{text}\" is not)."
    )]
    CatalogItemIdFormat {
        /// What was given.
        text: String,
    },
    /// An activation token that is not one this console issues.
    #[error("Activation code is not valid: it must be 40 letters and digits.")]
    TokenFormat,
}

/// A refusal because of who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    /// The seed's note: Sales agents temporarily cannot update marketplace SaaS subscriptions.
    #[error(
        "Temporarily, persons with the Sales agent role cannot update Marketplace SaaS subscription details such as quantity, status, and billing frequency. Sign in as an Admin agent if you have an Admin agent account, or ask an Admin agent to update it on your behalf. Sales agents can still buy new subscriptions."
    )]
    SalesAgentRestriction,
    /// The role may not do this at all.
    #[error("Your role ({}) can't {action}. Ask a Global admin or an Admin agent.", role.label())]
    Role {
        /// The actor's role.
        role: Role,
        /// What was attempted, in words (`"update subscriptions"`).
        action: &'static str,
    },
    /// A publisher acting on another publisher's subscription.
    #[error("This subscription belongs to another publisher's offer.")]
    OtherPublisher,
    /// Only partner users may do this.
    #[error("Only a signed-in partner user can {action}.")]
    NotAPartnerUser {
        /// What was attempted.
        action: &'static str,
    },
    /// The user id is not one of the partner's users.
    #[error("This user is not one of the partner's users.")]
    UnknownUser,
}

impl Denied {
    /// What an action this refusal blocks says beside it, when a page shows the refusal itself
    /// once, as a note at its top (the seed's 60-word note for Sales agents, not six times).
    pub fn pointer(&self) -> Option<&'static str> {
        match self {
            Denied::SalesAgentRestriction => Some(
                "Sales agents can't update Marketplace SaaS subscriptions for now: see Partner Center's note at the top of the page.",
            ),
            _ => None,
        }
    }
}

/// What a command could not find.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{what} {id} was not found.")]
pub struct NotFound {
    /// `"Customer"`, `"Subscription"`…
    pub what: &'static str,
    /// The id that was asked for.
    pub id: String,
}

/// Why a cart cannot be checked out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PurchaseError {
    /// A cart with no lines.
    #[error("The cart is empty: add at least one offer.")]
    EmptyCart,
    /// The catalog has no such offer, plan or price option.
    #[error("Line {line}: {what} is not in the catalog.")]
    NotInCatalog {
        /// 1-based cart line.
        line: usize,
        /// What is missing, in words.
        what: String,
    },
    /// The offer is not sold in the customer's country.
    #[error("Line {line}: {offer} isn't available for customers in {country}.")]
    UnavailableInCountry {
        /// 1-based cart line.
        line: usize,
        /// The offer's name.
        offer: String,
        /// The customer's country code.
        country: String,
    },
    /// The offer may be bought once per customer and the customer has it.
    #[error(
        "Line {line}: {offer} is limited to one subscription per customer, and this customer already has one."
    )]
    OnePerCustomer {
        /// 1-based cart line.
        line: usize,
        /// The offer's name.
        offer: String,
    },
    /// A quantity outside the plan's bounds (Partner Center 2002).
    #[error("Line {line}: Quantity must be between {min} and {max} for {plan} (it is {quantity}).")]
    QuantityOutOfRange {
        /// 1-based cart line.
        line: usize,
        /// The plan's name.
        plan: String,
        /// Typed quantity.
        quantity: u64,
        /// Plan minimum.
        min: u32,
        /// Plan maximum.
        max: u32,
    },
    /// A free trial asked of a plan that has none.
    #[error("Line {line}: {plan} has no free trial.")]
    NoFreeTrial {
        /// 1-based cart line.
        line: usize,
        /// The plan's name.
        plan: String,
    },
    /// The cart was already checked out.
    #[error("This cart was already checked out as order {order}.")]
    AlreadyCheckedOut {
        /// The order it became.
        order: String,
    },
}

/// Why the publisher could not resolve or activate.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActivationError {
    /// No subscription has this code (never issued, or replaced by a newer link).
    #[error(
        "This activation link isn't valid: it was never issued or a newer link replaced it. Get a fresh link from the subscription in Marketplace Console."
    )]
    UnknownCode,
    /// The code is older than 24 hours.
    #[error(
        "This activation link expired on {expired}. Get a fresh link from the subscription in Marketplace Console (Copy activation link or Go to publisher's site)."
    )]
    ExpiredCode {
        /// When it expired, as shown to people.
        expired: String,
    },
    /// The subscription is already active (Partner Center 800041).
    #[error("This item has already been activated.")]
    AlreadyActivated,
    /// Activation sent a plan or quantity that is not the subscription's.
    #[error("Activation must confirm the purchased {field}: expected {expected}, got {got}.")]
    Mismatch {
        /// `"plan"` or `"quantity"`.
        field: &'static str,
        /// What the subscription has.
        expected: String,
        /// What was sent.
        got: String,
    },
    /// More licenses assigned than bought.
    #[error("Licenses: {assigned} assigned but only {quantity} were purchased.")]
    TooManyLicenses {
        /// Licenses asked to be assigned in total.
        assigned: usize,
        /// The purchased quantity.
        quantity: u32,
    },
    /// A license for something that is not an e-mail address.
    #[error("Licenses: \"{text}\" is not an e-mail address.")]
    LicenseEmail {
        /// What was given.
        text: String,
    },
    /// Activation before any license is assigned.
    #[error(
        "Assign at least one license before activating: billing starts only once licenses are assigned."
    )]
    NoLicenses,
    /// The subscription is not waiting for activation.
    #[error("Only a subscription waiting for activation can be set up (this one is {}).", status.label())]
    NotPending {
        /// Its status.
        status: SubscriptionStatus,
    },
}

/// Why a subscription cannot be changed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UpdateError {
    /// Not yet activated (Partner Center 800081).
    #[error(
        "Cannot update a subscription before activating it. Complete the setup on the publisher's site first."
    )]
    NotActivated,
    /// Cancelled or expired.
    #[error("This subscription is {}; it can't be changed any more.", status.label().to_lowercase())]
    Terminal {
        /// Its status.
        status: SubscriptionStatus,
    },
    /// Suspended by the publisher.
    #[error(
        "This subscription is suspended by the publisher; it can't be changed until it's reinstated."
    )]
    Suspended,
    /// Quantity outside the plan's bounds (Partner Center 2002).
    #[error("Quantity must be between {min} and {max} for {plan} (you entered {quantity}).")]
    QuantityOutOfRange {
        /// The plan's name.
        plan: String,
        /// What was asked.
        quantity: u64,
        /// Plan minimum.
        min: u32,
        /// Plan maximum.
        max: u32,
    },
    /// A change to the value it already has.
    #[error("{field} is already {value}.")]
    Unchanged {
        /// The field.
        field: &'static str,
        /// Its current value.
        value: String,
    },
    /// The cancellation window has closed.
    #[error(
        "The cancellation window closed on {closed}; turn off auto-renew to end it at term end."
    )]
    WindowClosed {
        /// When, as shown to people.
        closed: String,
    },
    /// The offer's publisher steps were not confirmed.
    #[error("Confirm that you completed the publisher's steps before cancelling: {steps}")]
    PublisherStepsNotConfirmed {
        /// The publisher's steps.
        steps: String,
    },
    /// The partner is a direct-bill partner: no indirect resellers.
    #[error("Indirect reseller PartnerID applies only to indirect providers.")]
    NoIndirectResellers,
    /// The PartnerID is not one of the partner's resellers (Partner Center 800015).
    #[error(
        "Indirect reseller PartnerID {partner_id} was not found among your indirect resellers."
    )]
    PartnerIdNotFound {
        /// What was given.
        partner_id: String,
    },
    /// The reseller's authorization ended (Partner Center 800016).
    #[error(
        "Indirect reseller PartnerID {partner_id} is not a valid indirect reseller: its authorization has ended."
    )]
    NotAValidReseller {
        /// What was given.
        partner_id: String,
    },
    /// The scheduled change names no price option of the offer.
    #[error("{what} isn't available for this offer's {term} term.")]
    NoSuchOption {
        /// The plan or billing frequency asked for.
        what: String,
        /// The term.
        term: String,
    },
    /// The current quantity does not fit the new plan.
    #[error(
        "Quantity {quantity} doesn't fit {plan} ({min}–{max} licenses): change the quantity first."
    )]
    QuantityDoesNotFitPlan {
        /// The new plan's name.
        plan: String,
        /// Current quantity.
        quantity: u32,
        /// New plan minimum.
        min: u32,
        /// New plan maximum.
        max: u32,
    },
    /// A new quantity that the plan scheduled for the next term cannot take.
    #[error(
        "Quantity {quantity} doesn't fit {plan} ({min}–{max} licenses), the plan scheduled for the next term: withdraw that change first, or choose a quantity that fits both plans."
    )]
    QuantityDoesNotFitScheduledPlan {
        /// The scheduled plan's name.
        plan: String,
        /// The quantity asked for.
        quantity: u64,
        /// Scheduled plan minimum.
        min: u32,
        /// Scheduled plan maximum.
        max: u32,
    },
    /// Withdrawing a change when none is scheduled.
    #[error("No change is scheduled for the next term.")]
    NothingScheduled,
    /// Auto-renew off: a next-term change would never apply.
    #[error("Auto-renew is off, so there is no next term to change: turn auto-renew on first.")]
    NoNextTerm,
    /// A publisher suspending what is not active, or reinstating what is not suspended.
    #[error("Only {expected} subscriptions can be {verb}.")]
    WrongStatusFor {
        /// `"active"` or `"suspended"`.
        expected: &'static str,
        /// `"suspended"` or `"reinstated"`.
        verb: &'static str,
    },
}

/// Any refusal of a command: the family, with the message and Partner Center code it carries.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    /// Bad input.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Not allowed for this actor.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// Unknown id.
    #[error(transparent)]
    NotFound(#[from] NotFound),
    /// A purchase rule.
    #[error(transparent)]
    Purchase(#[from] PurchaseError),
    /// An activation rule.
    #[error(transparent)]
    Activation(#[from] ActivationError),
    /// An update rule.
    #[error(transparent)]
    Update(#[from] UpdateError),
}

impl CommandError {
    /// The Partner Center error code, where Partner Center has one.
    pub fn code(&self) -> Option<u32> {
        match self {
            CommandError::Update(UpdateError::NotActivated) => Some(800081),
            CommandError::Activation(ActivationError::AlreadyActivated) => Some(800041),
            CommandError::Update(UpdateError::QuantityOutOfRange { .. })
            | CommandError::Purchase(PurchaseError::QuantityOutOfRange { .. }) => Some(2002),
            CommandError::Update(UpdateError::PartnerIdNotFound { .. }) => Some(800015),
            CommandError::Update(UpdateError::NotAValidReseller { .. }) => Some(800016),
            _ => None,
        }
    }

    /// True when the refusal is about who asked rather than what was asked.
    pub fn is_denial(&self) -> bool {
        matches!(self, CommandError::Denied(_))
    }
}
