//! Cards under short names, and conversions that keep card code short.
//!
//! Chat's card types are generated as `models::GoogleAppsCardV1*`; here they are
//! `cards::Card`, `cards::Section`, `cards::TextParagraph`, ... (the same types). Every
//! kind of widget converts into a [`Widget`], so a section takes its widgets directly:
//!
//! ```
//! use chat_api::cards::{Card, CardHeader, CardWithId, Section, TextParagraph};
//!
//! let card = CardWithId::new().set_card_id("unique-card-id").set_card(
//!     Card::new()
//!         .set_header(CardHeader::new().set_title("Card Title").set_subtitle("Card Subtitle"))
//!         .set_sections([Section::new()
//!             .set_widgets([TextParagraph::new().set_text("This card is attached to a user message.")])]),
//! );
//! assert_eq!(card.card_id(), "unique-card-id");
//! ```

pub use crate::models::CardWithId;
#[doc(no_inline)]
pub use crate::models::{
    GoogleAppsCardV1Action as Action, GoogleAppsCardV1ActionInteraction as ActionInteraction,
    GoogleAppsCardV1ActionLoadIndicator as ActionLoadIndicator,
    GoogleAppsCardV1ActionParameter as ActionParameter, GoogleAppsCardV1BorderStyle as BorderStyle,
    GoogleAppsCardV1BorderStyleType as BorderStyleType, GoogleAppsCardV1Button as Button,
    GoogleAppsCardV1ButtonList as ButtonList, GoogleAppsCardV1ButtonType as ButtonType,
    GoogleAppsCardV1Card as Card, GoogleAppsCardV1CardAction as CardAction,
    GoogleAppsCardV1CardDisplayStyle as CardDisplayStyle,
    GoogleAppsCardV1CardFixedFooter as CardFixedFooter, GoogleAppsCardV1CardHeader as CardHeader,
    GoogleAppsCardV1CardHeaderImageType as CardHeaderImageType,
    GoogleAppsCardV1CardSectionDividerStyle as CardSectionDividerStyle,
    GoogleAppsCardV1Carousel as Carousel, GoogleAppsCardV1CarouselCard as CarouselCard,
    GoogleAppsCardV1Chip as Chip, GoogleAppsCardV1ChipList as ChipList,
    GoogleAppsCardV1ChipListLayout as ChipListLayout,
    GoogleAppsCardV1CollapseControl as CollapseControl,
    GoogleAppsCardV1CollapseControlHorizontalAlignment as CollapseControlHorizontalAlignment,
    GoogleAppsCardV1Column as Column,
    GoogleAppsCardV1ColumnHorizontalAlignment as ColumnHorizontalAlignment,
    GoogleAppsCardV1ColumnHorizontalSizeStyle as ColumnHorizontalSizeStyle,
    GoogleAppsCardV1ColumnVerticalAlignment as ColumnVerticalAlignment,
    GoogleAppsCardV1Columns as Columns, GoogleAppsCardV1CommonWidgetAction as CommonWidgetAction,
    GoogleAppsCardV1Condition as Condition, GoogleAppsCardV1DataSourceConfig as DataSourceConfig,
    GoogleAppsCardV1DateTimePicker as DateTimePicker,
    GoogleAppsCardV1DateTimePickerType as DateTimePickerType,
    GoogleAppsCardV1DecoratedText as DecoratedText,
    GoogleAppsCardV1DecoratedTextStartIconVerticalAlignment as DecoratedTextStartIconVerticalAlignment,
    GoogleAppsCardV1Divider as Divider, GoogleAppsCardV1EventAction as EventAction,
    GoogleAppsCardV1ExpressionData as ExpressionData,
    GoogleAppsCardV1ExpressionDataCondition as ExpressionDataCondition,
    GoogleAppsCardV1ExpressionDataConditionConditionType as ExpressionDataConditionConditionType,
    GoogleAppsCardV1Grid as Grid, GoogleAppsCardV1GridItem as GridItem,
    GoogleAppsCardV1GridItemLayout as GridItemLayout, GoogleAppsCardV1Icon as Icon,
    GoogleAppsCardV1IconImageType as IconImageType, GoogleAppsCardV1Image as Image,
    GoogleAppsCardV1ImageComponent as ImageComponent,
    GoogleAppsCardV1ImageCropStyle as ImageCropStyle,
    GoogleAppsCardV1ImageCropStyleType as ImageCropStyleType,
    GoogleAppsCardV1MaterialIcon as MaterialIcon, GoogleAppsCardV1NestedWidget as NestedWidget,
    GoogleAppsCardV1OnClick as OnClick, GoogleAppsCardV1OpenLink as OpenLink,
    GoogleAppsCardV1OpenLinkOnClose as OpenLinkOnClose,
    GoogleAppsCardV1OpenLinkOpenAs as OpenLinkOpenAs, GoogleAppsCardV1OverflowMenu as OverflowMenu,
    GoogleAppsCardV1OverflowMenuItem as OverflowMenuItem,
    GoogleAppsCardV1PlatformDataSource as PlatformDataSource,
    GoogleAppsCardV1PlatformDataSourceCommonDataSource as PlatformDataSourceCommonDataSource,
    GoogleAppsCardV1Section as Section, GoogleAppsCardV1SelectionInput as SelectionInput,
    GoogleAppsCardV1SelectionInputType as SelectionInputType,
    GoogleAppsCardV1SelectionItem as SelectionItem,
    GoogleAppsCardV1SuggestionItem as SuggestionItem, GoogleAppsCardV1Suggestions as Suggestions,
    GoogleAppsCardV1SwitchControl as SwitchControl,
    GoogleAppsCardV1SwitchControlControlType as SwitchControlControlType,
    GoogleAppsCardV1TextInput as TextInput, GoogleAppsCardV1TextInputType as TextInputType,
    GoogleAppsCardV1TextParagraph as TextParagraph,
    GoogleAppsCardV1TextParagraphTextSyntax as TextParagraphTextSyntax,
    GoogleAppsCardV1Trigger as Trigger,
    GoogleAppsCardV1UpdateVisibilityAction as UpdateVisibilityAction,
    GoogleAppsCardV1UpdateVisibilityActionVisibility as UpdateVisibilityActionVisibility,
    GoogleAppsCardV1Validation as Validation,
    GoogleAppsCardV1ValidationInputType as ValidationInputType, GoogleAppsCardV1Widget as Widget,
    GoogleAppsCardV1WidgetHorizontalAlignment as WidgetHorizontalAlignment,
    GoogleAppsCardV1WidgetVisibility as WidgetVisibility, GoogleAppsCardV1Widgets as Widgets,
};

/// Every kind of widget is a [`Widget`] holding just that kind.
macro_rules! into_widget {
    ($($kind:ident => $setter:ident,)*) => {$(
        impl From<$kind> for Widget {
            fn from(value: $kind) -> Self {
                Widget::new().$setter(value)
            }
        }
    )*};
}

into_widget! {
    ButtonList => set_button_list,
    Carousel => set_carousel,
    ChipList => set_chip_list,
    Columns => set_columns,
    DateTimePicker => set_date_time_picker,
    DecoratedText => set_decorated_text,
    Divider => set_divider,
    Grid => set_grid,
    WidgetHorizontalAlignment => set_horizontal_alignment,
    Image => set_image,
    SelectionInput => set_selection_input,
    TextInput => set_text_input,
    TextParagraph => set_text_paragraph,
    WidgetVisibility => set_visibility,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widgets_convert_and_cards_encode_with_wire_names() {
        let card = CardWithId::new().set_card_id("c").set_card(
            Card::new()
                .set_sections([Section::new().set_widgets([TextParagraph::new().set_text("hi")])]),
        );
        let json = serde_json::to_value(&card).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"card": {"sections": [{"widgets": [{"textParagraph": {"text": "hi"}}]}]}, "cardId": "c"})
        );
        let w: Widget = Divider::new().into();
        assert!(w.divider.is_some());
    }
}
